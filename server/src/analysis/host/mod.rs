//! Rules on host.json (H…): the document, the storage provider and its keys,
//! the extension bundle, the task hub name, and the links from host.json to
//! the project and to local.settings.json.

mod bundle;
pub(crate) use bundle::{BUNDLES_WITH_DTS, DTS_RANGE, GA_BUNDLE};
mod document;
pub(crate) mod hub;
mod provider;

use crate::analysis::{AppContext, Sink};

pub(crate) fn check(context: &AppContext<'_>, sink: &mut Sink) {
    let Some(host) = &context.host else { return };
    document::check(host, sink);
    provider::check(context, host, sink);
    bundle::check(context, host, sink);
    hub::check(context, host, sink);
}
