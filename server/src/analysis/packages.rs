//! What we know about the packages the rules talk about: newest known
//! version, minimum for the Durable Task Scheduler, and which side of the
//! worker/host line a package belongs to (knowledge.md 4, 5, 6). One table,
//! so a release can update versions without touching rule logic.

use crate::analysis::nuget::Version;
use crate::app::FileSystem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Referenced by a .NET isolated worker project.
    Worker,
    /// Loaded by the Functions host: an in-process project or a non-.NET app's extensions.csproj.
    Host,
    /// Build tooling.
    Build,
}

impl Side {
    /// For completion details and hovers.
    pub fn describe(self) -> &'static str {
        match self {
            Side::Worker => "a .NET isolated worker package",
            Side::Host => "a host (WebJobs) package: in-process projects and extensions.csproj",
            Side::Build => "build tooling",
        }
    }
}

#[derive(Debug)]
pub struct KnownPackage {
    pub id: &'static str,
    pub newest: &'static str,
    pub minimum_for_dts: Option<&'static str>,
    pub side: Side,
    /// What it is for, in a sentence (knowledge.md 4, 5).
    pub about: &'static str,
}

pub const WORKER: &str = "Microsoft.Azure.Functions.Worker";
pub const WORKER_SDK: &str = "Microsoft.Azure.Functions.Worker.Sdk";
pub const WORKER_DURABLE_TASK: &str = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask";
pub const WORKER_AZURE_MANAGED: &str = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged";
pub const WEBJOBS_DURABLE_TASK: &str = "Microsoft.Azure.WebJobs.Extensions.DurableTask";
pub const WEBJOBS_AZURE_MANAGED: &str = "Microsoft.Azure.WebJobs.Extensions.DurableTask.AzureManaged";
pub const METADATA_GENERATOR: &str = "Microsoft.Azure.WebJobs.Script.ExtensionsMetadataGenerator";
pub const IN_PROCESS_SDK: &str = "Microsoft.NET.Sdk.Functions";
pub const GRPC_M1: &str = "Contrib.Grpc.Core.M1";

/// Known on 2026-11-25 (knowledge.md 6).
pub static KNOWN_PACKAGES: &[KnownPackage] = &[
    KnownPackage {
        id: WORKER_AZURE_MANAGED,
        newest: "1.12.0",
        minimum_for_dts: None,
        side: Side::Worker,
        about: "The Durable Task Scheduler provider (`azureManaged`) for a .NET isolated app.",
    },
    KnownPackage {
        id: WEBJOBS_AZURE_MANAGED,
        newest: "1.10.0",
        minimum_for_dts: None,
        side: Side::Host,
        about: "The Durable Task Scheduler provider (`azureManaged`) for the host: a non-.NET app's extensions.csproj.",
    },
    KnownPackage {
        id: WORKER_DURABLE_TASK,
        newest: "1.21.1",
        minimum_for_dts: Some("1.2.2"),
        side: Side::Worker,
        about: "Durable Functions for a .NET isolated app.",
    },
    KnownPackage {
        id: WORKER,
        newest: "2.52.0",
        minimum_for_dts: Some("1.22.0"),
        side: Side::Worker,
        about: "The .NET isolated worker.",
    },
    KnownPackage {
        id: WORKER_SDK,
        newest: "2.1.0",
        minimum_for_dts: Some("1.17.4"),
        side: Side::Worker,
        about: "The .NET isolated worker's build SDK.",
    },
    KnownPackage {
        id: WEBJOBS_DURABLE_TASK,
        newest: "3.19.0",
        minimum_for_dts: Some("3.0.0"),
        side: Side::Host,
        about: "The Durable Functions extension the host loads: in-process apps and a non-.NET app's extensions.csproj.",
    },
    KnownPackage {
        id: METADATA_GENERATOR,
        newest: "4.0.1",
        minimum_for_dts: None,
        side: Side::Build,
        about: "Writes bin/extensions.json for an extensions.csproj; without it the host loads none of its extensions.",
    },
    KnownPackage {
        id: IN_PROCESS_SDK,
        newest: "4.6.0",
        minimum_for_dts: None,
        side: Side::Host,
        about: "The in-process .NET SDK: not a supported path to the Durable Task Scheduler (migrate to isolated).",
    },
    KnownPackage {
        id: GRPC_M1,
        newest: "2.46.7",
        minimum_for_dts: None,
        side: Side::Build,
        about: "The Apple-silicon gRPC workaround; needs the `CopyGrpcNativeAssetsToOutDir` target too.",
    },
];

pub fn known(id: &str) -> Option<&'static KnownPackage> {
    KNOWN_PACKAGES.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The newest version the table knows, for fixes: a fix must not depend on
/// what happens to be in this machine's NuGet cache.
pub fn newest_known(id: &str) -> &'static str {
    known(id).map_or("1.0.0", |p| p.newest)
}

/// The minimum version for DTS of a known package.
pub fn minimum(id: &str) -> Option<Version> {
    known(id)?.minimum_for_dts.and_then(Version::parse)
}

/// The newest version to suggest: the newest in the user's local NuGet cache
/// when that is newer than the table (read offline), else the table's.
pub fn newest(fs: &dyn FileSystem, id: &str) -> Option<String> {
    let table = known(id).and_then(|p| Version::parse(p.newest));
    let local =
        fs.cached_package_versions(id).iter().filter_map(|v| Version::parse(v)).filter(|v| !v.is_prerelease()).max();
    match (table, local) {
        (Some(table), Some(local)) if local > table => Some(local.to_string()),
        (Some(table), _) => Some(table.to_string()),
        (None, local) => local.map(|v| v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::memory::MemoryFs;

    #[test]
    fn the_table_parses_and_the_local_cache_can_be_newer() {
        for package in KNOWN_PACKAGES {
            assert!(Version::parse(package.newest).is_some(), "{}", package.id);
            assert!(package.minimum_for_dts.is_none_or(|m| Version::parse(m).is_some()));
        }
        let mut fs = MemoryFs::default();
        assert_eq!(newest(&fs, WORKER_DURABLE_TASK).as_deref(), Some("1.21.1"));
        fs.cached.insert(
            WORKER_DURABLE_TASK.to_ascii_lowercase(),
            vec!["1.22.0".into(), "1.30.0-preview.1".into(), "1.0.0".into()],
        );
        assert_eq!(newest(&fs, WORKER_DURABLE_TASK).as_deref(), Some("1.22.0"));
    }
}
