const { app } = require('@azure/functions');
const df = require('durable-functions');

df.app.orchestration('notifyOrchestrator', function* (context) {
  const recipients = context.df.getInput() || [];
  const tasks = recipients.map((r) => context.df.callActivity('sendNotification', r));
  return yield context.df.Task.all(tasks);
});

df.app.activity('sendNotification', {
  handler: (recipient) => `Notified ${recipient}`,
});

app.http('notifyHttpStart', {
  route: 'orchestrators/{orchestratorName}',
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const body = await request.json();
    const instanceId = await client.startNew(request.params.orchestratorName, { input: body });
    context.log(`Started orchestration with ID = '${instanceId}'.`);
    return client.createCheckStatusResponse(request, instanceId);
  },
});
