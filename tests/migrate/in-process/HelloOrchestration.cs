using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace Legacy;

public static class HelloOrchestration
{
    [FunctionName(nameof(HelloOrchestration))]
    public static async Task<string> Run([OrchestrationTrigger] IDurableOrchestrationContext context)
        => await context.CallActivityAsync<string>(nameof(SayHello), "Tokyo");

    [FunctionName(nameof(SayHello))]
    public static string SayHello([ActivityTrigger] string name) => $"Hello {name}!";
}
