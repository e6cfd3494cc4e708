using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace OrdersApp;

public record OrderRequest(string OrderId, string CustomerId, decimal Amount);

public static class OrderOrchestration
{
    [Function(nameof(ProcessOrder))]
    public static async Task<string> ProcessOrder(
        [OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ILogger logger = context.CreateReplaySafeLogger(nameof(ProcessOrder));
        OrderRequest order = context.GetInput<OrderRequest>()
            ?? throw new InvalidOperationException("An order is required.");

        logger.LogInformation("Processing order {OrderId}.", order.OrderId);

        bool reserved = await context.CallActivityAsync<bool>(nameof(ReserveInventory), order);
        if (!reserved)
        {
            return $"Order {order.OrderId} rejected: out of stock.";
        }

        string receipt = await context.CallActivityAsync<string>(nameof(ChargePayment), order);
        await context.CallActivityAsync<string>(nameof(SendConfirmation), receipt);
        return $"Order {order.OrderId} completed ({receipt}).";
    }

    [Function(nameof(ReserveInventory))]
    public static bool ReserveInventory([ActivityTrigger] OrderRequest order, FunctionContext executionContext)
    {
        ILogger logger = executionContext.GetLogger(nameof(ReserveInventory));
        logger.LogInformation("Reserving stock for order {OrderId}.", order.OrderId);
        return true;
    }

    [Function(nameof(ChargePayment))]
    public static string ChargePayment([ActivityTrigger] OrderRequest order, FunctionContext executionContext)
    {
        ILogger logger = executionContext.GetLogger(nameof(ChargePayment));
        logger.LogInformation("Charging {Amount} to {CustomerId}.", order.Amount, order.CustomerId);
        return $"rcpt-{order.OrderId}";
    }

    [Function(nameof(SendConfirmation))]
    public static string SendConfirmation([ActivityTrigger] string receipt, FunctionContext executionContext)
    {
        ILogger logger = executionContext.GetLogger(nameof(SendConfirmation));
        logger.LogInformation("Sending confirmation for {Receipt}.", receipt);
        return receipt;
    }

    [Function("ProcessOrder_HttpStart")]
    public static async Task<HttpResponseData> HttpStart(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequestData req,
        [DurableClient] DurableTaskClient client)
    {
        OrderRequest? order = await req.ReadFromJsonAsync<OrderRequest>();
        if (order is null)
        {
            return req.CreateResponse(HttpStatusCode.BadRequest);
        }

        string instanceId = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ProcessOrder), order);
        return await client.CreateCheckStatusResponseAsync(req, instanceId);
    }
}
