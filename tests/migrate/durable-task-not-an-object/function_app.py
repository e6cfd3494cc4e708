import azure.functions as func
import azure.durable_functions as df

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="reports/{reportId}")
@app.durable_client_input(client_name="client")
async def start_report(req: func.HttpRequest, client):
    instance_id = await client.start_new("build_report", None, req.route_params["reportId"])
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def build_report(context: df.DurableOrchestrationContext):
    rows = yield context.call_activity("load_rows", context.get_input())
    return (yield context.call_activity("render", rows))


@app.activity_trigger(input_name="reportId")
def load_rows(reportId: str) -> list:
    return [reportId, "a", "b"]


@app.activity_trigger(input_name="rows")
def render(rows: list) -> str:
    return ",".join(rows)
