//! Rules on project files (P…): XML syntax, and the project's side of the
//! azureManaged provider package (the twin of H007).

use std::path::Path;

use crate::analysis::Sink;
use crate::analysis::context::{AppContext, Backend};
use crate::analysis::dotnet::{WORKER_AZURE_MANAGED, WORKER_DURABLE_TASK};
use crate::syntax::xml::XmlDocument;

pub(crate) fn check(context: &AppContext<'_>, sink: &mut Sink) {
    for project in &context.projects {
        report_syntax(&project.file.path, &project.file.document, sink);
    }
    if let Some(props) = &context.packages_props {
        report_syntax(&props.path, &props.document, sink);
    }
    if context.durable().backend == Some(Backend::AzureManaged) {
        provider_package(context, sink);
    }
}

/// P001: each well-formedness error.
pub(crate) fn report_syntax(path: &Path, document: &XmlDocument, sink: &mut Sink) {
    for error in &document.errors {
        sink.report("P001", path, error.range, format!("{}: MSBuild cannot load this file", error.message));
    }
}

/// P002: host.json selects azureManaged and this isolated project lacks the
/// provider package. Shown on the DurableTask reference, where the new one
/// belongs, or on the project tag.
fn provider_package(context: &AppContext<'_>, sink: &mut Sink) {
    let isolated: Vec<_> = context.isolated_projects().collect();
    if isolated.iter().any(|p| p.project.reference(WORKER_AZURE_MANAGED).is_some()) {
        return;
    }
    let host_type = context.host.as_ref().zip(context.durable().type_value().map(|v| v.range));
    for project in isolated {
        let range = project.project.reference(WORKER_DURABLE_TASK).map_or(project.project.project_tag, |r| r.tag_range);
        let message = format!(
            "host.json selects the Durable Task Scheduler (azureManaged), but this project does not reference {WORKER_AZURE_MANAGED}: \
             the app fails at start with \"Storage provider type (azureManaged) was not found\""
        );
        let diagnostic = sink.report("P002", &project.file.path, range, message);
        if let Some((host, type_range)) = host_type {
            diagnostic.related(&host.path, type_range, "the storage provider is selected here");
        }
    }
}
