import logging

import azure.functions as func
import azure.durable_functions as df

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)

SOURCES = ["sales", "returns", "inventory"]


@app.route(route="reports/{region}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start_report(req: func.HttpRequest, client) -> func.HttpResponse:
    region = req.route_params.get("region")
    instance_id = await client.start_new("build_report", client_input=region)
    logging.info("Started report %s for region %s", instance_id, region)
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def build_report(context: df.DurableOrchestrationContext):
    region = context.get_input()
    tasks = [
        context.call_activity("fetch_figures", {"region": region, "source": source})
        for source in SOURCES
    ]
    figures = yield context.task_all(tasks)
    summary = yield context.call_activity("render_summary", {"region": region, "figures": figures})
    return summary


@app.activity_trigger(input_name="request")
def fetch_figures(request: dict) -> dict:
    logging.info("Fetching %s figures for %s", request["source"], request["region"])
    return {"source": request["source"], "total": 100 * len(request["source"])}


@app.activity_trigger(input_name="payload")
def render_summary(payload: dict) -> str:
    total = sum(item["total"] for item in payload["figures"])
    return f"Report for {payload['region']}: {total} units across {len(payload['figures'])} sources"
