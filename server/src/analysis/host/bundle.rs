//! `extensionBundle` (H008–H011): is it valid, is it used at all, and can it
//! bring the Durable Task Scheduler provider (knowledge.md 2.1, 5).

use crate::analysis::context::{AppContext, JsonFile};
use crate::analysis::dotnet::ProjectKind;
use crate::analysis::nuget::{self, Version, VersionRange};
use crate::analysis::{Sink, fixes};
use crate::edit::Fix;
use crate::edit::json::{NewValue, quote};
use crate::text::TextRange;

/// The first version of each bundle that carries the AzureManaged provider.
pub const BUNDLES_WITH_DTS: [(&str, (u64, u64, u64)); 3] = [
    (GA_BUNDLE, (4, 30, 0)),
    ("Microsoft.Azure.Functions.ExtensionBundle.Preview", (4, 28, 0)),
    ("Microsoft.Azure.Functions.ExtensionBundle.Experimental", (4, 1, 0)),
];

pub(crate) const GA_BUNDLE: &str = "Microsoft.Azure.Functions.ExtensionBundle";
/// The range every fix and the switch write: the newest 4.x, which has DTS.
pub(crate) const DTS_RANGE: &str = "[4.*, 5.0.0)";

pub(super) fn check(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let Some(bundle) = context.bundle() else { return };
    let object = bundle.member.value.as_ref().and_then(|v| v.as_object());
    let root = host.document.root_object();
    let remove_bundle =
        |title: &str| root.map(|root| fixes::remove(host, root, fixes::index_of(root, bundle.member), title));
    let set = |range: TextRange, value: &str| {
        fixes::replace(host, range, quote(value), format!("Set \"{value}\"")).preferred()
    };
    let add = |key: &str, value: &str| {
        object
            .and_then(|o| {
                fixes::insert(
                    host,
                    o,
                    o.members.len(),
                    key,
                    NewValue::string(value),
                    format!("Add \"{key}\": \"{value}\""),
                )
            })
            .map(Fix::preferred)
    };
    let invalid = "The value of id/version property in extensionBundle section of host.json file is invalid or missing";
    let id = match bundle.id {
        None => {
            sink.report(
                "H009",
                &host.path,
                bundle.member.key.range,
                format!("extensionBundle has no \"id\": {invalid}"),
            )
            .fix(add("id", GA_BUNDLE));
            None
        }
        Some(value) => match value.as_str().filter(|id| nuget::is_valid_package_id(id)) {
            Some(id) => Some(id),
            None => {
                let shown = &host.text[value.range.start..value.range.end];
                sink.report("H009", &host.path, value.range, format!("{shown} is not a NuGet package id: {invalid}"))
                    .fix(Some(set(value.range, GA_BUNDLE)));
                None
            }
        },
    };
    let range = match bundle.version {
        None => {
            sink.report(
                "H009",
                &host.path,
                bundle.member.key.range,
                format!("extensionBundle has no \"version\": {invalid}"),
            )
            .fix(add("version", DTS_RANGE));
            None
        }
        Some(value) => match value.as_str().and_then(VersionRange::parse) {
            Some(range) => Some((range, value.range)),
            None => {
                let shown = &host.text[value.range.start..value.range.end];
                sink.report(
                    "H009",
                    &host.path,
                    value.range,
                    format!("{shown} is not a NuGet version range such as \"{DTS_RANGE}\": {invalid}"),
                )
                .fix(Some(set(value.range, DTS_RANGE)));
                None
            }
        },
    };

    // The project files say what the app is; a FUNCTIONS_WORKER_RUNTIME that
    // disagrees with them is L007's business.
    let dotnet =
        context.projects.iter().any(|p| matches!(p.project.kind, ProjectKind::Isolated | ProjectKind::InProcess));
    if dotnet {
        sink.report(
            "H011",
            &host.path,
            bundle.member.key.range,
            ".NET apps do not use extension bundles (the host skips them): the packages come from the project. Remove extensionBundle",
        )
        .fix(remove_bundle("Remove extensionBundle").map(Fix::preferred));
        return;
    }
    if context.app.has_file("extensions.csproj") {
        sink.report(
            "H010",
            &host.path,
            bundle.member.key.range,
            "This app has both extensionBundle and an extensions.csproj: the bundle wins, the project is ignored, and `func extensions install` refuses to run. Keep one",
        )
        .fix(remove_bundle("Remove extensionBundle (keep extensions.csproj)"));
    }
    // A .NET app by its setting, its project elsewhere: the host skips the
    // bundle, so what it can reach does not matter.
    if !context.durable().is_dts() || context.worker_runtime().is_some_and(|r| r.is_dotnet()) {
        return;
    }
    let (Some(id), Some((range, version_range))) = (id, range) else { return };
    let Some((name, (major, minor, patch))) = BUNDLES_WITH_DTS.iter().find(|(name, _)| name.eq_ignore_ascii_case(id))
    else {
        return;
    };
    let first = Version::new(*major, *minor, *patch);
    if !range.can_reach(&first) {
        sink.report(
            "H008",
            &host.path,
            version_range,
            format!(
                "This bundle range never reaches {name} {first}, the first with the Durable Task Scheduler provider: the app fails with \
                 \"Storage provider type (azureManaged) was not found\". Use \"{DTS_RANGE}\""
            ),
        )
        .fix(Some(set(version_range, DTS_RANGE)));
    }
}
