//! What host.json's `durableTask` and `storageProvider` keys are: their type,
//! default, which backends read them, a one-line description and a source.
//! One table, read by the rules (unknown keys, other backends' keys, types)
//! and later by hover and completion. Key names compare ignoring case, as
//! the host's configuration binding does (knowledge.md 2.2).

use crate::analysis::context::Backend;
use crate::suggest::Vocabulary;
use std::sync::OnceLock;

/// Where a key lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    DurableTask,
    StorageProvider,
}

/// The type the runtime converts a value to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Integer,
    /// A positive integer; anything else stops the host (H026).
    PositiveInteger,
    String,
    /// A .NET `TimeSpan` such as `00:05:00`.
    TimeSpan,
    /// A nested section.
    Object,
    /// A list (host.json's top-level `functions`, `watchDirectories`, `watchFiles`).
    Array,
}

/// Which backends read a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    All,
    Only(&'static [Backend]),
}

#[derive(Debug)]
pub struct KnownKey {
    pub name: &'static str,
    pub section: Section,
    pub kind: Kind,
    pub default: &'static str,
    pub readers: Readers,
    pub description: &'static str,
    pub source: &'static str,
}

impl KnownKey {
    /// The backends that read it, joined by `separator` ("every backend" for all).
    pub fn readers_text(&self, separator: &str) -> std::string::String {
        match self.readers {
            Readers::All => "every backend".to_string(),
            Readers::Only(list) => list.iter().map(|b| b.display_name()).collect::<Vec<_>>().join(separator),
        }
    }

    /// Markdown for completion and hover: what it does, its default, who reads it, the source.
    pub fn markdown(&self) -> std::string::String {
        let default = if self.default.is_empty() {
            std::string::String::new()
        } else {
            format!("\n\nDefault: `{}`", self.default)
        };
        format!("{}{default}\n\nRead by: {}\n\n[Source]({})", self.description, self.readers_text(", "), self.source)
    }

    pub fn read_by(&self, backend: Backend) -> bool {
        match self.readers {
            Readers::All => true,
            Readers::Only(backends) => backends.contains(&backend),
        }
    }
}

const HOST_JSON_DOC: &str =
    "https://learn.microsoft.com/azure/durable-task/durable-functions/durable-functions-host-json-settings";
const DTS_DOC: &str = "https://learn.microsoft.com/azure/durable-task/scheduler/develop-with-durable-task-scheduler";
const LARGE_PAYLOADS_DOC: &str =
    "https://learn.microsoft.com/azure/durable-task/scheduler/durable-task-scheduler-large-payloads";
const EXTENSION_SOURCE: &str =
    "https://github.com/Azure/azure-functions-durable-extension/tree/main/src/WebJobs.Extensions.DurableTask/Options";

use Backend::{AzureManaged, AzureStorage, Mssql, Netherite};
use Kind::*;
use Section::*;

const AZURE_STORAGE: Readers = Readers::Only(&[AzureStorage]);
const MSSQL: Readers = Readers::Only(&[Mssql]);
const NETHERITE: Readers = Readers::Only(&[Netherite]);
const DTS: Readers = Readers::Only(&[AzureManaged]);
const NOT_DTS: Readers = Readers::Only(&[AzureStorage, Mssql, Netherite]);

macro_rules! key {
    ($name:literal, $section:ident, $kind:ident, $default:literal, $readers:expr, $description:literal, $source:expr) => {
        KnownKey {
            name: $name,
            section: $section,
            kind: $kind,
            default: $default,
            readers: $readers,
            description: $description,
            source: $source,
        }
    };
}

pub static KNOWN_KEYS: &[KnownKey] = &[
    // durableTask
    key!(
        "hubName",
        DurableTask,
        String,
        "WEBSITE_SITE_NAME, else TestHubName",
        Readers::All,
        "The task hub: a logical container for orchestration state. Only a value that is wholly `%NAME%` is read from an app setting.",
        HOST_JSON_DOC
    ),
    key!(
        "storageProvider",
        DurableTask,
        Object,
        "Azure Storage",
        Readers::All,
        "The storage backend (`type`) and its settings.",
        HOST_JSON_DOC
    ),
    key!(
        "tracing",
        DurableTask,
        Object,
        "",
        Readers::All,
        "Tracing: traceInputsAndOutputs, traceReplayEvents, distributedTracingEnabled, version.",
        HOST_JSON_DOC
    ),
    key!("notifications", DurableTask, Object, "", Readers::All, "Event Grid lifecycle notifications.", HOST_JSON_DOC),
    key!("httpSettings", DurableTask, Object, "", Readers::All, "Settings of the Durable HTTP APIs.", HOST_JSON_DOC),
    key!(
        "maxConcurrentActivityFunctions",
        DurableTask,
        PositiveInteger,
        "10 × processor count",
        Readers::All,
        "How many activity functions one instance runs at once.",
        HOST_JSON_DOC
    ),
    key!(
        "maxConcurrentOrchestratorFunctions",
        DurableTask,
        PositiveInteger,
        "10 × processor count",
        Readers::All,
        "How many orchestrator functions one instance runs at once.",
        HOST_JSON_DOC
    ),
    key!(
        "maxConcurrentEntityFunctions",
        DurableTask,
        PositiveInteger,
        "10 × processor count",
        DTS,
        "How many entity functions one instance runs at once (honoured with the Durable Task Scheduler).",
        HOST_JSON_DOC
    ),
    key!(
        "extendedSessionsEnabled",
        DurableTask,
        Bool,
        "false",
        NOT_DTS,
        "Keeps orchestrations in memory between events. Not available with the Durable Task Scheduler.",
        HOST_JSON_DOC
    ),
    key!(
        "extendedSessionIdleTimeoutInSeconds",
        DurableTask,
        Integer,
        "30",
        NOT_DTS,
        "How long an idle extended session stays in memory.",
        HOST_JSON_DOC
    ),
    key!("defaultVersion", DurableTask, String, "", Readers::All, "The version new orchestrations get.", HOST_JSON_DOC),
    key!(
        "versionMatchStrategy",
        DurableTask,
        String,
        "CurrentOrOlder",
        Readers::All,
        "Which orchestration versions a worker loads: None, Strict or CurrentOrOlder.",
        HOST_JSON_DOC
    ),
    key!(
        "versionFailureStrategy",
        DurableTask,
        String,
        "Reject",
        Readers::All,
        "What happens on a version mismatch: Reject or Fail.",
        HOST_JSON_DOC
    ),
    key!(
        "maxEntityOperationBatchSize",
        DurableTask,
        Integer,
        "",
        Readers::All,
        "The most entity operations processed as one batch.",
        HOST_JSON_DOC
    ),
    key!(
        "maxOrchestrationActions",
        DurableTask,
        Integer,
        "100000",
        Readers::All,
        "The most actions one orchestration may take.",
        HOST_JSON_DOC
    ),
    key!(
        "storeInputsInOrchestrationHistory",
        DurableTask,
        Bool,
        "false",
        Readers::All,
        "Stores activity inputs in the history.",
        HOST_JSON_DOC
    ),
    key!(
        "useGracefulShutdown",
        DurableTask,
        Bool,
        "false",
        Readers::All,
        "Shuts down without failing running work (preview).",
        HOST_JSON_DOC
    ),
    key!(
        "maxGrpcMessageSizeInBytes",
        DurableTask,
        Integer,
        "",
        Readers::All,
        "The largest gRPC message between host and worker.",
        HOST_JSON_DOC
    ),
    key!(
        "grpcHttpClientTimeout",
        DurableTask,
        TimeSpan,
        "",
        Readers::All,
        "Timeout of the gRPC HTTP client between host and worker.",
        HOST_JSON_DOC
    ),
    key!(
        "useAppLease",
        DurableTask,
        Bool,
        "true",
        AZURE_STORAGE,
        "Takes a blob lease so one app processes the task hub at a time (Azure Storage).",
        HOST_JSON_DOC
    ),
    key!(
        "appLeaseOptions",
        DurableTask,
        Object,
        "",
        Readers::All,
        "Timing of the app lease that `useAppLease` takes (an Azure Storage blob lease).",
        EXTENSION_SOURCE
    ),
    key!(
        "localRpcEndpointEnabled",
        DurableTask,
        Bool,
        "true for non-.NET apps",
        Readers::All,
        "The local RPC endpoint out-of-process workers call.",
        EXTENSION_SOURCE
    ),
    key!(
        "notificationUrl",
        DurableTask,
        String,
        "",
        Readers::All,
        "Base URL of the HTTP APIs (set by runtime hosts).",
        EXTENSION_SOURCE
    ),
    key!(
        "overridableExistingInstanceStates",
        DurableTask,
        String,
        "NonRunningStates",
        Readers::All,
        "Which existing instances a new start with the same id replaces.",
        EXTENSION_SOURCE
    ),
    key!(
        "entityMessageReorderWindowInMinutes",
        DurableTask,
        Integer,
        "30",
        Readers::All,
        "The window in which entity messages are deduplicated and reordered.",
        EXTENSION_SOURCE
    ),
    key!(
        "rollbackEntityOperationsOnExceptions",
        DurableTask,
        Bool,
        "true",
        Readers::All,
        "Rolls back an entity operation that throws.",
        EXTENSION_SOURCE
    ),
    // storageProvider: every backend
    key!(
        "type",
        StorageProvider,
        String,
        "AzureStorage",
        Readers::All,
        "The backend: AzureStorage, AzureManaged (Durable Task Scheduler), mssql or Netherite.",
        HOST_JSON_DOC
    ),
    key!(
        "connectionName",
        StorageProvider,
        String,
        "DURABLE_TASK_SCHEDULER_CONNECTION_STRING with azureManaged",
        Readers::All,
        "The app setting that holds the backend's connection; read before connectionStringName.",
        HOST_JSON_DOC
    ),
    key!(
        "connectionStringName",
        StorageProvider,
        String,
        "DURABLE_TASK_SCHEDULER_CONNECTION_STRING with azureManaged",
        Readers::All,
        "Legacy name of connectionName.",
        HOST_JSON_DOC
    ),
    // storageProvider: Azure Storage
    key!(
        "partitionCount",
        StorageProvider,
        Integer,
        "4",
        Readers::Only(&[AzureStorage, Netherite]),
        "The number of control-queue partitions.",
        HOST_JSON_DOC
    ),
    key!(
        "controlQueueBatchSize",
        StorageProvider,
        Integer,
        "32",
        AZURE_STORAGE,
        "Messages pulled from a control queue at a time.",
        HOST_JSON_DOC
    ),
    key!(
        "controlQueueBufferThreshold",
        StorageProvider,
        Integer,
        "256",
        AZURE_STORAGE,
        "Control-queue messages buffered in memory.",
        HOST_JSON_DOC
    ),
    key!(
        "controlQueueVisibilityTimeout",
        StorageProvider,
        TimeSpan,
        "00:05:00",
        AZURE_STORAGE,
        "Visibility timeout of dequeued control-queue messages.",
        HOST_JSON_DOC
    ),
    key!(
        "workItemQueueVisibilityTimeout",
        StorageProvider,
        TimeSpan,
        "00:05:00",
        AZURE_STORAGE,
        "Visibility timeout of dequeued work-item messages.",
        HOST_JSON_DOC
    ),
    key!(
        "maxQueuePollingInterval",
        StorageProvider,
        TimeSpan,
        "00:00:30",
        AZURE_STORAGE,
        "The longest wait between queue polls.",
        HOST_JSON_DOC
    ),
    key!(
        "trackingStoreConnectionName",
        StorageProvider,
        String,
        "",
        AZURE_STORAGE,
        "A separate connection for the History and Instances tables.",
        HOST_JSON_DOC
    ),
    key!(
        "trackingStoreConnectionStringName",
        StorageProvider,
        String,
        "",
        AZURE_STORAGE,
        "Legacy name of trackingStoreConnectionName.",
        HOST_JSON_DOC
    ),
    key!(
        "trackingStoreNamePrefix",
        StorageProvider,
        String,
        "DurableTask",
        AZURE_STORAGE,
        "Prefix of the tracking tables.",
        HOST_JSON_DOC
    ),
    key!(
        "fetchLargeMessagesAutomatically",
        StorageProvider,
        Bool,
        "true",
        AZURE_STORAGE,
        "Fetches large messages from blobs in status queries.",
        HOST_JSON_DOC
    ),
    key!(
        "useLegacyPartitionManagement",
        StorageProvider,
        Bool,
        "false",
        AZURE_STORAGE,
        "The old partition manager.",
        HOST_JSON_DOC
    ),
    key!(
        "useTablePartitionManagement",
        StorageProvider,
        Bool,
        "true",
        AZURE_STORAGE,
        "Partition management through a table.",
        HOST_JSON_DOC
    ),
    key!(
        "QueueClientMessageEncoding",
        StorageProvider,
        String,
        "UTF8",
        AZURE_STORAGE,
        "Queue message encoding: UTF8 or Base64.",
        HOST_JSON_DOC
    ),
    key!(
        "allowReplayingTerminalInstances",
        StorageProvider,
        Bool,
        "false",
        AZURE_STORAGE,
        "Replays messages to completed instances.",
        HOST_JSON_DOC
    ),
    // storageProvider: MSSQL and Netherite
    key!(
        "taskEventLockTimeout",
        StorageProvider,
        TimeSpan,
        "00:02:00",
        MSSQL,
        "How long a worker holds an event lock (MSSQL).",
        HOST_JSON_DOC
    ),
    key!(
        "createDatabaseIfNotExists",
        StorageProvider,
        Bool,
        "false",
        MSSQL,
        "Creates the database on start (MSSQL).",
        HOST_JSON_DOC
    ),
    key!("schemaName", StorageProvider, String, "dt", MSSQL, "The database schema (MSSQL).", HOST_JSON_DOC),
    key!(
        "storageConnectionName",
        StorageProvider,
        String,
        "AzureWebJobsStorage",
        NETHERITE,
        "The storage connection (Netherite).",
        HOST_JSON_DOC
    ),
    key!(
        "eventHubsConnectionName",
        StorageProvider,
        String,
        "EventHubsConnection",
        NETHERITE,
        "The Event Hubs connection (Netherite).",
        HOST_JSON_DOC
    ),
    // storageProvider: Durable Task Scheduler
    key!(
        "workItemFilteringEnabled",
        StorageProvider,
        Bool,
        "false",
        DTS,
        "Sends a worker only the work items it has functions for (AzureManaged 1.8.1 and later).",
        DTS_DOC
    ),
    key!(
        "payloadStorageEnabled",
        StorageProvider,
        Bool,
        "false",
        DTS,
        "Stores payloads above the threshold in blobs (.NET isolated only).",
        LARGE_PAYLOADS_DOC
    ),
    key!(
        "payloadStorageThresholdBytes",
        StorageProvider,
        Integer,
        "",
        DTS,
        "Payload size above which it goes to a blob; below the 1 MB (1,048,576 byte) message limit, samples use 900000.",
        LARGE_PAYLOADS_DOC
    ),
    key!(
        "largePayloadStorageEnabled",
        StorageProvider,
        Bool,
        "false",
        DTS,
        "Renamed to payloadStorageEnabled in AzureManaged 1.6.0.",
        LARGE_PAYLOADS_DOC
    ),
    key!(
        "largePayloadStorageThresholdBytes",
        StorageProvider,
        Integer,
        "",
        DTS,
        "Renamed to payloadStorageThresholdBytes in AzureManaged 1.6.0.",
        LARGE_PAYLOADS_DOC
    ),
];

/// The known key `name` in `section`, ignoring case.
pub fn known(section: Section, name: &str) -> Option<&'static KnownKey> {
    KNOWN_KEYS.iter().find(|k| k.section == section && k.name.eq_ignore_ascii_case(name))
}

/// Names of the known keys of a section, for "did you mean".
pub fn names(section: Section) -> Vec<&'static str> {
    KNOWN_KEYS.iter().filter(|k| k.section == section).map(|k| k.name).collect()
}

/// [`names`], prepared once for "did you mean" on every unknown key.
pub fn vocabulary(section: Section) -> &'static Vocabulary<'static> {
    static DURABLE_TASK: OnceLock<Vocabulary<'static>> = OnceLock::new();
    static STORAGE_PROVIDER: OnceLock<Vocabulary<'static>> = OnceLock::new();
    let cell = match section {
        Section::DurableTask => &DURABLE_TASK,
        Section::StorageProvider => &STORAGE_PROVIDER,
    };
    cell.get_or_init(|| Vocabulary::new(&names(section)))
}

/// Keys only other backends read: meaningless under azureManaged (H015, knowledge.md 2.2).
pub fn other_backends_only(key: &KnownKey) -> bool {
    !key.read_by(AzureManaged) && !matches!(key.name, "extendedSessionsEnabled" | "extendedSessionIdleTimeoutInSeconds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_section_and_lookups_ignore_case() {
        for key in KNOWN_KEYS {
            let same = KNOWN_KEYS.iter().filter(|k| k.section == key.section && k.name.eq_ignore_ascii_case(key.name));
            assert_eq!(same.count(), 1, "{}", key.name);
            assert!(key.source.starts_with("https://"));
        }
        assert_eq!(
            known(Section::StorageProvider, "queueclientmessageencoding").map(|k| k.name),
            Some("QueueClientMessageEncoding")
        );
        assert!(known(Section::DurableTask, "HUBNAME").is_some());
        assert!(other_backends_only(known(Section::DurableTask, "useAppLease").unwrap()));
        assert!(!other_backends_only(known(Section::DurableTask, "extendedSessionsEnabled").unwrap()));
    }
}
