//! Completion, hover, definition, references and the outline, data-driven:
//! each case is a small app where `$0` marks the cursor in one file; the
//! answer is a snapshot (labels in order with their edits, hover text,
//! locations). Several cases are half-typed documents.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use durable_lsp::app::FileSystem;
use durable_lsp::app::memory::MemoryFs;
use durable_lsp::ide;

/// The app, the file with the cursor, and the cursor's offset.
fn app(files: &[(&str, &str)]) -> (MemoryFs, PathBuf, usize) {
    let mut memory = MemoryFs::default();
    let mut cursor = None;
    for (name, text) in files {
        let path = PathBuf::from("/app").join(name);
        if let Some(at) = text.find("$0") {
            cursor = Some((path.clone(), at));
        }
        memory.files.insert(path, text.replace("$0", ""));
    }
    let (path, offset) = cursor.expect("a $0 cursor");
    (memory, path, offset)
}

fn completions(files: &[(&str, &str)]) -> String {
    let (fs, path, offset) = app(files);
    let text = fs.read(&path).unwrap();
    let mut out = String::new();
    for item in ide::complete(&fs, &path, offset, true).iter().take(14) {
        let replaced = &text[item.edit.range.start..item.edit.range.end];
        writeln!(
            out,
            "{} | «{replaced}» → «{}»{}",
            item.label,
            item.edit.new_text,
            item.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
        )
        .unwrap();
    }
    out
}

const HOST_DTS: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "%TASKHUB_NAME%",
      "storageProvider": {
        "type": "azureManaged",
        "connectionStringName": "DTS"
      }
    }
  }
}"#;

const LOCAL: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "DTS": "Endpoint=https://s.westus2.durabletask.io;Authentication=DefaultAzure",
    "TASKHUB_NAME": "orders",
    "STORAGE_KEY": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0"
  }
}"#;

#[test]
fn completion_in_host_json() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "type-value-after-colon",
            &[("host.json", "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\": $0\n}}}}")],
        ),
        (
            "type-value-in-quotes",
            &[("host.json", r#"{"extensions": {"durableTask": {"storageProvider": {"type": "azu$0"}}}}"#)],
        ),
        ("durabletask-keys", &[("host.json", "{\"extensions\": {\"durableTask\": {\n  $0\n}}}")]),
        ("half-typed-key", &[("host.json", r#"{"extensions": {"durableTask": {"hub$0"#)]),
        // A key being typed above existing ones: those stay members (hubName
        // is not offered again), the half-typed one is not their key.
        (
            "half-typed-key-above-others",
            &[(
                "host.json",
                "{\"extensions\": {\"durableTask\": {\n  \"max$0\n  \"hubName\": \"x\",\n  \"storageProvider\": {}\n}}}",
            )],
        ),
        (
            "storage-provider-keys-under-dts",
            &[(
                "host.json",
                "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\": \"azureManaged\",\n $0\n}}}}",
            )],
        ),
        (
            "connection-name-from-values",
            &[("host.json", &HOST_DTS.replace("\"DTS\"", "\"$0\"")), ("local.settings.json", LOCAL)],
        ),
        (
            "hub-name-as-setting",
            &[("host.json", &HOST_DTS.replace("\"%TASKHUB_NAME%\"", "\"$0\"")), ("local.settings.json", LOCAL)],
        ),
        (
            "bundle-version",
            &[(
                "host.json",
                r#"{"extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "$0"}}"#,
            )],
        ),
        ("root-keys-without-colon", &[("host.json", "{\n  \"ver$0\n}")]),
        // A new member above another one comes with its comma.
        ("key-before-a-member", &[("host.json", "{\n  $0\n  // the version\n  \"version\": \"2.0\"\n}")]),
        // Nothing in comments (a space is a trigger character).
        ("in-a-line-comment", &[("host.json", "{\n  // keep $0this\n  \"version\": \"2.0\"\n}")]),
        ("in-a-block-comment", &[("host.json", "{\n  /* note $0*/\n  \"version\": \"2.0\"\n}")]),
        ("in-an-unclosed-block-comment", &[("host.json", "{\n  \"version\": \"2.0\" /* note $0")]),
        ("just-after-a-block-comment", &[("host.json", "{\n  /* note */$0\n}")]),
        // Written top-down without auto-pairs: unclosed objects own the
        // blanks after their last token.
        (
            "unclosed-objects-blank-before-the-end",
            &[("host.json", "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\": $0 ")],
        ),
        (
            "unclosed-objects-on-a-new-line",
            &[("host.json", "{\n  \"extensions\": {\n    \"durableTask\": {\n      $0")],
        ),
        // A key typed before its opening quote is replaced whole.
        (
            "key-without-its-opening-quote",
            &[("host.json", "{\"extensions\": {\"durableTask\": {\n      hub$0\n    }}}")],
        ),
        // An unclosed string gets its closing quote; the `}` after it stays.
        (
            "value-in-an-unclosed-string",
            &[("host.json", "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\": \"az$0}\n}}}")],
        ),
        // The DTS string first: a Service Bus `Endpoint=sb://` or a storage
        // string's `BlobEndpoint=` is no connection to DTS.
        (
            "connection-name-dts-string-first",
            &[
                ("host.json", &HOST_DTS.replace("\"DTS\"", "\"$0\"")),
                (
                    "local.settings.json",
                    r#"{"Values": {"AzureServiceBus": "Endpoint=sb://b.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=x", "Storage": "DefaultEndpointsProtocol=https;AccountName=a;BlobEndpoint=https://a.blob.core.windows.net", "Orders": "Endpoint=https://s.westus2.durabletask.io;Authentication=DefaultAzure"}}"#,
                ),
            ],
        ),
        // The values knowledge.md lists for these keys, and a key's default.
        (
            "version-match-strategy-values",
            &[("host.json", r#"{"extensions": {"durableTask": {"versionMatchStrategy": "$0"}}}"#)],
        ),
        ("tracing-keys", &[("host.json", "{\"extensions\": {\"durableTask\": {\"tracing\": {\n  $0\n}}}}")]),
        (
            "tracing-version-values",
            &[("host.json", r#"{"extensions": {"durableTask": {"tracing": {"version": "$0"}}}}"#)],
        ),
        (
            "a-timespan-default",
            &[(
                "host.json",
                r#"{"extensions": {"durableTask": {"storageProvider": {"maxQueuePollingInterval": "$0"}}}}"#,
            )],
        ),
        // Nothing of the object's keys inside an array, nor after a closed key with no colon.
        ("inside-an-array", &[("host.json", r#"{"extensions": {"durableTask": {"x": [$0]}}}"#)]),
        ("after-a-closed-key-without-a-colon", &[("host.json", "{\n  \"version\"$0\n}")]),
        // Between the colon and a value: values replace it (blanks kept), no keys.
        (
            "type-value-before-an-existing-value",
            &[("host.json", r#"{"extensions": {"durableTask": {"storageProvider": {"type":$0 "AzureStorage"}}}}"#)],
        ),
        // The next member's key after the cursor stays: the value goes in with a comma.
        (
            "type-value-before-the-next-key",
            &[(
                "host.json",
                r#"{"extensions": {"durableTask": {"storageProvider": {"type":$0 "connectionName": "X"}}}}"#,
            )],
        ),
        // A value on the next line or behind a comment cannot be replaced in one edit: nothing.
        (
            "type-value-on-the-next-line",
            &[(
                "host.json",
                "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\":$0\n   \"AzureStorage\"}}}}",
            )],
        ),
        // An unclosed key: its word is replaced, the braces after it stay.
        (
            "unclosed-key-before-braces",
            &[(
                "host.json",
                r#"{"extensions": {"durableTask": {"storageProvider": {"type": "AzureStorage", "controlQueueVis$0}}}"#,
            )],
        ),
        // No extensionBundle beside an extensions.csproj (H010).
        (
            "root-keys-beside-extensions-csproj",
            &[
                ("host.json", "{\n  \"version\": \"2.0\",\n  $0\n}"),
                ("extensions.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"),
                ("function_app.py", ""),
            ],
        ),
        // Hub names on Azure Storage: letters and digits from a letter; Values only.
        (
            "hub-name-on-azure-storage",
            &[
                ("host.json", r#"{"extensions": {"durableTask": {"hubName": "$0"}}}"#),
                (
                    "local.settings.json",
                    r#"{"Values": {"MY_HUB": "my-hub", "NUM": "123", "ORDERS": "Orders1"}, "ConnectionStrings": {"CS_HUB": "cshub"}}"#,
                ),
            ],
        ),
        // Setting names are escaped as snippet text (`$`, `}` and `\\`).
        (
            "hub-setting-key-escaped-for-snippets",
            &[
                ("host.json", r#"{"extensions": {"durableTask": {"hubName": "%HUB$1}%"}}}"#),
                ("local.settings.json", "{\"Values\": {\n  $0\n}}"),
            ],
        ),
        // Known defaults as placeholders; a time span in quotes.
        (
            "storage-provider-keys-with-defaults",
            &[("host.json", "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\n $0\n}}}}")],
        ),
        // The host's top-level settings; no extensionBundle in a .NET app.
        (
            "root-keys-in-a-dotnet-app",
            &[
                ("host.json", "{\n  \"version\": \"2.0\",\n  $0\n}"),
                (
                    "App.csproj",
                    "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.0.0\" /></ItemGroup></Project>",
                ),
            ],
        ),
        // Hub names only from settings whose value can be one.
        (
            "hub-name-only-from-hub-like-settings",
            &[
                ("host.json", &HOST_DTS.replace("\"%TASKHUB_NAME%\"", "\"$0\"")),
                (
                    "local.settings.json",
                    r#"{"Values": {"FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated", "AzureWebJobsStorage": "UseDevelopmentStorage=true", "DTS": "Endpoint=http://localhost:8080;Authentication=None", "MY_HUB": "orders", "Region": "westus2", "Bad": "a_b"}}"#,
                ),
            ],
        ),
        // `Type` does not stand for `type` (H005): `type` is still offered.
        (
            "type-beside-a-wrongly-cased-type",
            &[(
                "host.json",
                "{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"Type\": \"azureManaged\",\n $0\n}}}}",
            )],
        ),
    ];
    for (name, files) in cases {
        insta::assert_snapshot!(format!("complete-host-{name}"), completions(files));
    }
}

#[test]
fn completion_in_local_settings_and_the_dts_string() {
    let missing = LOCAL.replace("    \"DTS\": \"Endpoint=https://s.westus2.durabletask.io;Authentication=DefaultAzure\",\n    \"TASKHUB_NAME\": \"orders\",\n", "    $0\n");
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("values-keys-referenced-first", &[("host.json", HOST_DTS), ("local.settings.json", &missing)]),
        (
            "worker-runtime-from-files",
            &[
                ("host.json", "{}"),
                ("requirements.txt", ""),
                ("local.settings.json", r#"{"Values": {"FUNCTIONS_WORKER_RUNTIME": "$0"}}"#),
            ],
        ),
        (
            "dts-string-next-key",
            &[
                ("host.json", HOST_DTS),
                ("local.settings.json", r#"{"Values": {"DTS": "Endpoint=http://localhost:8080;$0"}}"#),
            ],
        ),
        (
            "dts-string-authentication",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    r#"{"Values": {"DTS": "Endpoint=http://localhost:8080;Authentication=Man$0"}}"#,
                ),
            ],
        ),
        (
            "dts-string-empty-templates",
            &[("host.json", HOST_DTS), ("local.settings.json", r#"{"Values": {"DTS": "$0"}}"#)],
        ),
        (
            "dts-string-unterminated",
            &[
                ("host.json", HOST_DTS),
                ("local.settings.json", "{\"Values\": {\"DTS\": \"Endpoint=http://localhost:8080;Au$0\n"),
            ],
        ),
        // In the middle of a key: the whole key and its `=` are replaced, and
        // the key itself is offered (it is the one being edited).
        (
            "dts-string-in-the-middle-of-a-key",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    r#"{"Values": {"DTS": "Endpoint=http://localhost:8080;Auth$0entication=None"}}"#,
                ),
            ],
        ),
        // A value typed at the end of an unclosed string closes it.
        (
            "dts-string-authentication-unterminated",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    "{\"Values\": {\"DTS\": \"Endpoint=http://localhost:8080;Authentication=No$0\n",
                ),
            ],
        ),
        // In an unclosed string, what follows the word at the cursor (`}}`) stays.
        (
            "dts-string-value-before-closing-braces",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    r#"{"IsEncrypted": false, "Values": {"DTS": "Endpoint=http://localhost:8080;Authentication=$0}}"#,
                ),
            ],
        ),
        (
            "dts-string-template-in-an-unclosed-string",
            &[("host.json", HOST_DTS), ("local.settings.json", r#"{"IsEncrypted": false, "Values": {"DTS": "$0}}"#)],
        ),
        // At the start of a pair that has its key: a new pair goes in front.
        (
            "dts-string-key-before-a-pair",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    r#"{"Values": {"DTS": "Endpoint=https://s.westus.durabletask.io;$0Authentication=DefaultAzure"}}"#,
                ),
            ],
        ),
        // Only the names host.json reads: no sample names beside them.
        (
            "values-keys-follow-host-json-names",
            &[
                ("host.json", &HOST_DTS.replace("\"%TASKHUB_NAME%\"", "\"%MY_HUB%\"")),
                (
                    "local.settings.json",
                    "{\n  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\",\n    $0\n  }\n}",
                ),
            ],
        ),
        ("values-keys-without-host-json", &[("local.settings.json", "{\n  \"Values\": {\n    $0\n  }\n}")]),
        // The hub setting in ConnectionStrings is not read (H023): still offered for Values.
        (
            "values-keys-with-the-hub-in-connection-strings",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    "{\n  \"Values\": {\n    $0\n  },\n  \"ConnectionStrings\": {\"TASKHUB_NAME\": \"orders\"}\n}",
                ),
            ],
        ),
        // The DTS setting in ConnectionStrings is there already.
        (
            "values-keys-with-the-connection-in-connection-strings",
            &[
                ("host.json", HOST_DTS),
                (
                    "local.settings.json",
                    "{\n  \"Values\": {\n    $0\n  },\n  \"ConnectionStrings\": {\"DTS\": \"Endpoint=http://localhost:8080;Authentication=None\"}\n}",
                ),
            ],
        ),
        // The emulator's endpoint, or a scheduler in Azure.
        (
            "dts-string-endpoint-value",
            &[
                ("host.json", HOST_DTS),
                ("local.settings.json", r#"{"Values": {"DTS": "Endpoint=$0;Authentication=None"}}"#),
            ],
        ),
        ("host-section-keys", &[("local.settings.json", "{\n  \"Host\": {\n    $0\n  }\n}")]),
        ("values-key-without-its-opening-quote", &[("local.settings.json", "{\n  \"Values\": {\n    FUNC$0\n  }\n}")]),
    ];
    for (name, files) in cases {
        insta::assert_snapshot!(format!("complete-local-{name}"), completions(files));
    }
}

const CENTRAL_PROPS: &str = "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>";

#[test]
fn completion_in_project_files() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "package-ids",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Fun$0\" />\n  </ItemGroup>\n</Project>",
            )],
        ),
        (
            "versions-newest-first",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"$0\" />\n  </ItemGroup>\n</Project>",
            )],
        ),
        ("element-being-typed", &[("App.csproj", "<Project>\n  <ItemGroup>\n    <Pack$0\n  </ItemGroup>\n</Project>")]),
        ("in-a-comment", &[("App.csproj", "<Project>\n  <!-- a note <Pack$0 -->\n</Project>")]),
        // extensions.csproj loads host-side packages: those first, the
        // worker ones (P006 there) last, and one referenced already not at all.
        (
            "package-ids-in-extensions-csproj",
            &[(
                "extensions.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.WebJobs.Extensions.DurableTask\" Version=\"3.19.0\" />\n    <PackageReference Include=\"$0\" />\n  </ItemGroup>\n</Project>",
            )],
        ),
        // An unclosed value gets its quote; the version is found after the cursor and in single quotes.
        (
            "package-id-unclosed",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Az$0\n  </ItemGroup>\n</Project>",
            )],
        ),
        (
            "version-before-include-single-quotes",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Version='$0' Include='Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged' />\n  </ItemGroup>\n</Project>",
            )],
        ),
        // `/>` right after an unclosed value stays.
        (
            "package-id-before-a-self-closing-end",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Az$0/>\n  </ItemGroup>\n</Project>",
            )],
        ),
        // Directory.Packages.props holds versions: PackageVersion first.
        (
            "element-in-a-props-file",
            &[("Directory.Packages.props", "<Project>\n  <ItemGroup>\n    <Pack$0\n  </ItemGroup>\n</Project>")],
        ),
        // What goes where: groups under <Project>, properties in a
        // PropertyGroup (after a comment and a closed group), nothing elsewhere.
        ("elements-under-project", &[("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <$0\n</Project>")]),
        (
            "elements-in-a-property-group",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup><!-- <ItemGroup> --></ItemGroup>\n  <PropertyGroup>\n    <$0\n  </PropertyGroup>\n</Project>",
            )],
        ),
        ("elements-inside-a-reference", &[("App.csproj", "<Project><ItemGroup><PackageReference Include=\"x\"><$0")]),
        // A `>` in a Condition's value does not end the tag before it.
        (
            "elements-after-a-condition-with-a-greater-than",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"A\" Version=\"1.0.0\" Condition=\"'$(X)' > '1'\" />\n    <$0\n  </ItemGroup>\n</Project>",
            )],
        ),
        // A property set already is not offered again; inside an existing
        // element's name only the name is replaced.
        (
            "elements-in-a-property-group-with-some-set",
            &[(
                "App.csproj",
                "<Project>\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <$0\n  </PropertyGroup>\n</Project>",
            )],
        ),
        (
            "element-name-being-edited",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <Pack$0ageReference Include=\"Microsoft.Azure.Functions.Worker.Sdk\" Version=\"2.1.0\" />\n  </ItemGroup>\n</Project>",
            )],
        ),
        // An isolated project: worker packages only (a WebJobs one is P006).
        (
            "package-ids-in-an-isolated-project",
            &[(
                "App.csproj",
                "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.52.0\" />\n    <PackageReference Include=\"$0\" />\n  </ItemGroup>\n</Project>",
            )],
        ),
        // Central management: the reference gets no Version, and none is offered for one.
        (
            "element-under-central-management",
            &[
                ("Directory.Packages.props", CENTRAL_PROPS),
                ("host.json", "{\"version\": \"2.0\"}"),
                ("App.csproj", "<Project>\n  <ItemGroup>\n    <Pack$0\n  </ItemGroup>\n</Project>"),
            ],
        ),
        (
            "no-version-under-central-management",
            &[
                ("Directory.Packages.props", CENTRAL_PROPS),
                ("host.json", "{\"version\": \"2.0\"}"),
                (
                    "App.csproj",
                    "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"$0\" />\n  </ItemGroup>\n</Project>",
                ),
            ],
        ),
    ];
    for (name, files) in cases {
        insta::assert_snapshot!(format!("complete-project-{name}"), completions(files));
    }
}

fn hover(files: &[(&str, &str)]) -> String {
    let (fs, path, offset) = app(files);
    ide::hover(&fs, &path, offset).map_or_else(|| "(none)".to_string(), |h| h.markdown)
}

#[test]
fn hover_explains_keys_values_settings_and_packages() {
    let on_key = HOST_DTS.replace("\"hubName\"", "\"hub$0Name\"");
    let on_connection = HOST_DTS.replace("\"DTS\"", "\"D$0TS\"");
    let on_secret = HOST_DTS.replace("\"DTS\"", "\"STORAGE_K$0EY\"");
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("known-key", &[("host.json", &on_key), ("local.settings.json", LOCAL)]),
        ("connection-resolves", &[("host.json", &on_connection), ("local.settings.json", LOCAL)]),
        ("secret-is-masked", &[("host.json", &on_secret), ("local.settings.json", LOCAL)]),
        // A setting named like a secret is masked whole, whatever its form.
        (
            "secret-by-its-name",
            &[
                ("host.json", &HOST_DTS.replace("\"%TASKHUB_NAME%\"", "\"%API_TO$0KEN%\"")),
                (
                    "local.settings.json",
                    &LOCAL.replace("\"TASKHUB_NAME\": \"orders\",", "\"API_TOKEN\": \"ghp_abc123\","),
                ),
            ],
        ),
        ("type-value", &[("host.json", &HOST_DTS.replace("\"azureManaged\"", "\"azure$0Managed\""))]),
        (
            "values-key-used-by-host",
            &[
                ("host.json", HOST_DTS),
                ("local.settings.json", &LOCAL.replace("\"TASKHUB_NAME\":", "\"TASKHUB$0_NAME\":")),
            ],
        ),
        // The top-level keys and the well-known settings are explained too.
        ("host-version-key", &[("host.json", "{\"ver$0sion\": \"2.0\"}")]),
        ("host-extension-bundle-key", &[("host.json", "{\"extension$0Bundle\": {}}")]),
        ("local-is-encrypted-key", &[("local.settings.json", "{\"IsEnc$0rypted\": false}")]),
        (
            "local-worker-runtime-key",
            &[("local.settings.json", "{\"Values\": {\"FUNCTIONS_WORKER$0_RUNTIME\": \"node\"}}")],
        ),
        (
            "package",
            &[(
                "App.csproj",
                "<Project><ItemGroup><PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.Durable$0Task\" Version=\"1.0.0\" /></ItemGroup></Project>",
            )],
        ),
        // A version against the minimum for DTS; a floating one reaches it.
        (
            "package-version-below-the-minimum",
            &[(
                "App.csproj",
                "<Project><ItemGroup><PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.0$0.0\" /></ItemGroup></Project>",
            )],
        ),
        (
            "package-version-floating",
            &[(
                "App.csproj",
                "<Project><ItemGroup><PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.$0*\" /></ItemGroup></Project>",
            )],
        ),
        // The pair at the cursor in the DTS string, and what a kind is (no value shown).
        (
            "dts-string-endpoint",
            &[("host.json", HOST_DTS), ("local.settings.json", &LOCAL.replace("Endpoint=https", "End$0point=https"))],
        ),
        (
            "dts-string-authentication-kind",
            &[("host.json", HOST_DTS), ("local.settings.json", &LOCAL.replace("=DefaultAzure", "=Default$0Azure"))],
        ),
        (
            "dts-string-unknown-kind",
            &[("host.json", HOST_DTS), ("local.settings.json", &LOCAL.replace("=DefaultAzure", "=Managed Iden$0tity"))],
        ),
        // `Type` is not `type` (H005).
        (
            "wrongly-cased-type",
            &[("host.json", r#"{"extensions": {"durableTask": {"storageProvider": {"Ty$0pe": "azureManaged"}}}}"#)],
        ),
        // A bundle range: does it reach the first GA bundle with DTS?
        (
            "bundle-version-too-low",
            &[(
                "host.json",
                r#"{"extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[3.*, 4.0$0.0)"}}"#,
            )],
        ),
        (
            "bundle-id",
            &[(
                "host.json",
                r#"{"extensionBundle": {"id": "Microsoft.Azure.Functions.Extension$0Bundle.Preview", "version": "[4.*, 5.0.0)"}}"#,
            )],
        ),
    ];
    for (name, files) in cases {
        insta::assert_snapshot!(format!("hover-{name}"), hover(files));
    }
}

#[test]
fn definition_and_references_link_host_json_and_local_settings() {
    let (fs, path, offset) =
        app(&[("host.json", &HOST_DTS.replace("%TASKHUB_NAME%", "%TASKHUB$0_NAME%")), ("local.settings.json", LOCAL)]);
    let found = ide::definition(&fs, &path, offset);
    assert_eq!(found.len(), 1);
    let local = fs.read(Path::new("/app/local.settings.json")).unwrap();
    assert_eq!(found[0].path, Path::new("/app/local.settings.json"));
    assert_eq!(&local[found[0].range.start..found[0].range.end], "\"TASKHUB_NAME\"");

    let (fs, path, offset) =
        app(&[("host.json", HOST_DTS), ("local.settings.json", &LOCAL.replace("\"DTS\":", "\"D$0TS\":"))]);
    let found = ide::references(&fs, &path, offset, true);
    let host = fs.read(Path::new("/app/host.json")).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(&host[found[1].range.start..found[1].range.end], "\"DTS\"");
}

/// The app's files after renaming the setting at the cursor to `new_name`
/// (only the files that changed), or why it was refused.
fn renamed(files: &[(&str, &str)], new_name: &str) -> Result<Vec<(String, String)>, String> {
    let (fs, path, offset) = app(files);
    let mut out = Vec::new();
    for change in ide::rename(&fs, &path, offset, new_name)? {
        let durable_lsp::edit::FileChange::Edit { path, mut edits } = change else { panic!("a new file") };
        let mut text = fs.read(&path).unwrap().to_string();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for edit in edits {
            text.replace_range(edit.range.start..edit.range.end, &edit.new_text);
        }
        out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
    }
    out.sort();
    Ok(out)
}

#[test]
fn renaming_a_setting_changes_its_key_and_every_name_of_it_in_host_json() {
    // From the key in local.settings.json: host.json's connectionStringName follows.
    let local = LOCAL.replace("\"DTS\":", "\"D$0TS\":");
    let files = renamed(&[("host.json", HOST_DTS), ("local.settings.json", &local)], "DTS_ORDERS").unwrap();
    assert_eq!(files[0], ("host.json".into(), HOST_DTS.replace("\"DTS\"", "\"DTS_ORDERS\"")));
    assert_eq!(files[1], ("local.settings.json".into(), LOCAL.replace("\"DTS\":", "\"DTS_ORDERS\":")));

    // From `%X%` in host.json: what is inside the percent signs, and the key.
    let host = HOST_DTS.replace("%TASKHUB_NAME%", "%TASK$0HUB_NAME%");
    let (fs, path, offset) = app(&[("host.json", &host), ("local.settings.json", LOCAL)]);
    let target = ide::prepare_rename(&fs, &path, offset).unwrap().unwrap();
    assert_eq!(target.name, "TASKHUB_NAME");
    assert_eq!(&fs.read(&path).unwrap()[target.range.start..target.range.end], "TASKHUB_NAME");
    let files = renamed(&[("host.json", &host), ("local.settings.json", LOCAL)], "HUB").unwrap();
    assert_eq!(files[0].1, HOST_DTS.replace("%TASKHUB_NAME%", "%HUB%"));
    assert_eq!(files[1].1, LOCAL.replace("\"TASKHUB_NAME\":", "\"HUB\":"));

    // Names are read ignoring case; a key in ConnectionStrings, written with
    // an escape, is renamed too; a setting local.settings.json lacks is
    // renamed where host.json names it.
    let host = HOST_DTS.replace("\"DTS\"", "\"d$0ts\"");
    let local =
        r#"{"Values": {"TASKHUB_NAME": "x"}, "ConnectionStrings": {"D\u0054S": "Endpoint=http://localhost:8080"}}"#;
    let files = renamed(&[("host.json", &host), ("local.settings.json", local)], "Scheduler").unwrap();
    assert!(files[0].1.contains("\"connectionStringName\": \"Scheduler\""), "{}", files[0].1);
    assert_eq!(files[1].1, local.replace("D\\u0054S", "Scheduler"));
    let files = renamed(&[("host.json", &host)], "Scheduler").unwrap();
    assert_eq!(files.len(), 1);

    // Refused, with the reason: a setting host.json does not name (what
    // reads it is unknown), a name another setting has, a name `%` or a
    // space would break.
    let storage = LOCAL.replace("\"STORAGE_KEY\"", "\"STORAGE$0_KEY\"");
    let refused = renamed(&[("host.json", HOST_DTS), ("local.settings.json", &storage)], "X").unwrap_err();
    assert!(refused.contains("not named in host.json"), "{refused}");
    let local = LOCAL.replace("\"DTS\":", "\"D$0TS\":");
    for (name, why) in
        [("storage_key", "already a setting"), ("A B", "cannot name"), ("%X%", "cannot name"), ("", "cannot name")]
    {
        let refused = renamed(&[("host.json", HOST_DTS), ("local.settings.json", &local)], name).unwrap_err();
        assert!(refused.contains(why), "{name}: {refused}");
    }
    // host.json names a setting the file lacks, and the user renames it to
    // one the file has: host.json now reads that one (a misspelling fixed).
    let host = HOST_DTS.replace("%TASKHUB_NAME%", "%TASKHUB_NAM$0%");
    let files = renamed(&[("host.json", &host), ("local.settings.json", LOCAL)], "TASKHUB_NAME").unwrap();
    assert_eq!(files, [("host.json".to_string(), HOST_DTS.to_string())]);
    // The sections of an identity-based connection are the setting too.
    let sections = r#"{"Values": {"TASKHUB_NAME": "x", "DTS__endpoint": "https://s.durabletask.io", "DTS__credential": "managedidentity", "DTSX": "1"}}"#;
    let host = HOST_DTS.replace("\"DTS\"", "\"D$0TS\"");
    let files = renamed(&[("host.json", &host), ("local.settings.json", sections)], "Scheduler").unwrap();
    assert_eq!(files[1].1, sections.replace("\"DTS__", "\"Scheduler__"));
    // From a section's key: its NAME is what is renamed.
    let from_key = sections.replace("\"DTS__credential\"", "\"DTS__cred$0ential\"");
    let (fs, path, offset) = app(&[("host.json", HOST_DTS), ("local.settings.json", &from_key)]);
    let target = ide::prepare_rename(&fs, &path, offset).unwrap().unwrap();
    assert_eq!((target.name.as_str(), &fs.read(&path).unwrap()[target.range.start..target.range.end]), ("DTS", "DTS"));
    let files = renamed(&[("host.json", HOST_DTS), ("local.settings.json", &from_key)], "Scheduler").unwrap();
    assert_eq!(files[1].1, sections.replace("\"DTS__", "\"Scheduler__"));
    // AzureWebJobsStorage is the host's own, whatever names it; a name host.json
    // already gives another setting would make two settings one.
    let host = HOST_DTS.replace("\"DTS\"", "\"AzureWebJobs$0Storage\"");
    let refused = renamed(&[("host.json", &host), ("local.settings.json", LOCAL)], "X").unwrap_err();
    assert!(refused.contains("read by the Functions host itself"), "{refused}");
    let host = HOST_DTS.replace("\"DTS\"", "\"D$0TS\"");
    let refused = renamed(&[("host.json", &host)], "taskhub_name").unwrap_err();
    assert!(refused.contains("already named in host.json"), "{refused}");
    // Nothing to rename at a key's value, or at host.json's other members.
    let (fs, path, offset) =
        app(&[("host.json", &HOST_DTS.replace("\"2.0\"", "\"2$0.0\"")), ("local.settings.json", LOCAL)]);
    assert_eq!(ide::prepare_rename(&fs, &path, offset), Ok(None));
    let (fs, path, offset) =
        app(&[("host.json", HOST_DTS), ("local.settings.json", &LOCAL.replace("\"orders\"", "\"ord$0ers\""))]);
    assert_eq!(ide::prepare_rename(&fs, &path, offset), Ok(None));
}

#[test]
fn the_outline_nests_and_masks() {
    let symbols = ide::symbols(LOCAL);
    let values = &symbols[1];
    assert_eq!(values.name, "Values");
    let names: Vec<&str> = values.children.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["AzureWebJobsStorage", "DTS", "TASKHUB_NAME", "STORAGE_KEY"]);
    // STORAGE_KEY is named like a secret: its value is hidden whole.
    assert_eq!(values.children[3].detail.as_deref(), Some("***"));
    assert!(!values.children[3].detail.as_ref().unwrap().contains("AccountName"));
    let storage = ide::symbols(r#"{"Values": {"Storage": "AccountName=a;AccountKey=c2VjcmV0"}}"#);
    assert!(storage[0].children[0].detail.as_ref().unwrap().contains("AccountKey=***"));
    // A broken document still has an outline.
    assert_eq!(ide::symbols("{\"a\": {\"b\": 1,").len(), 1);
    // No blank names, which editors refuse (VS Code fails the whole outline):
    // a blank key, an element being typed.
    let blank = ide::symbols("{\" \": 1, \"\": 2}");
    assert_eq!(blank.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["\" \"", "\"\""]);
    fn all_names(symbols: &[ide::Symbol], out: &mut Vec<String>) {
        for symbol in symbols {
            out.push(symbol.name.clone());
            all_names(&symbol.children, out);
        }
    }
    let mut found = Vec::new();
    all_names(&ide::project_symbols("<Project>\n  <ItemGroup>\n    <\n  </ItemGroup>\n</Project>\n"), &mut found);
    assert!(found.iter().all(|name| !name.trim().is_empty()), "{found:?}");
}

/// A project file's outline: its elements, a package item named by its id
/// with its version (an attribute or a child element) as detail.
#[test]
fn a_project_outline_names_packages_by_id() {
    let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.52.0\" />\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Sdk\">\n      <Version>2.1.0</Version>\n    </PackageReference>\n  </ItemGroup>\n</Project>\n";
    let outline = ide::project_symbols(csproj);
    let show = |s: &ide::Symbol| format!("{} ({})", s.name, s.detail.clone().unwrap_or_default());
    let project = &outline[0];
    assert_eq!(project.name, "Project");
    assert_eq!(show(&project.children[0].children[0]), "TargetFramework (net8.0)");
    let items: Vec<String> = project.children[1].children.iter().map(show).collect();
    assert_eq!(
        items,
        [
            "PackageReference Microsoft.Azure.Functions.Worker (2.52.0)",
            "PackageReference Microsoft.Azure.Functions.Worker.Sdk (2.1.0)"
        ]
    );
    assert_eq!(&csproj[project.children[1].selection.start..project.children[1].selection.end], "ItemGroup");
    // Not XML at all: no outline, no panic.
    assert!(ide::project_symbols("not xml <").len() <= 1);
}

/// From a package in a project to where its version is written: the
/// `PackageVersion` of central package management; nothing when the
/// version is in the element itself.
#[test]
fn definition_goes_from_a_package_to_its_central_version() {
    let props = "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.21.1\" />\n  </ItemGroup>\n</Project>\n";
    let project = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" VersionOverride=\"2.52.0\" />\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" />\n  </ItemGroup>\n</Project>\n";
    let mut fs = MemoryFs::default();
    fs.files.insert(PathBuf::from("/repo/Directory.Packages.props"), props.to_string());
    fs.files.insert(PathBuf::from("/repo/app/host.json"), HOST_DTS.to_string());
    fs.files.insert(PathBuf::from("/repo/app/App.csproj"), project.to_string());
    let path = Path::new("/repo/app/App.csproj");
    let durable = project.find("Extensions.DurableTask").unwrap();
    let found = ide::definition(&fs, path, durable);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, Path::new("/repo/Directory.Packages.props"));
    assert_eq!(&props[found[0].range.start..found[0].range.end], "1.21.1");
    // Hover on the version-less reference says which version it takes, and from where.
    let hover = ide::hover(&fs, path, durable).unwrap();
    assert!(hover.markdown.contains("Version here: `1.21.1`, from Directory.Packages.props"), "{}", hover.markdown);
    let own = ide::hover(&fs, path, project.find("Functions.Worker\"").unwrap()).unwrap();
    assert!(!own.markdown.contains("Version here"), "{}", own.markdown);
    // The worker's version is in its own element (VersionOverride): nowhere to go.
    assert!(ide::definition(&fs, path, project.find("Functions.Worker\"").unwrap()).is_empty());
    // Between the elements: nothing either.
    assert!(ide::definition(&fs, path, project.find("<ItemGroup>").unwrap()).is_empty());
}

/// A client without snippets gets whole members: each key item, taken as it
/// is before another member, leaves JSON that parses (its value is the
/// placeholder's default, or an empty literal of the key's type).
#[test]
fn without_snippets_each_key_comes_with_a_value_that_parses() {
    let files: &[(&str, &str)] = &[
        ("host.json", "{\"extensions\": {\"durableTask\": {\n  $0\n  \"storageProvider\": {}\n}}}"),
        ("local.settings.json", "{\n  $0\n  \"Values\": {}\n}"),
    ];
    for file in files {
        let (fs, path, offset) = app(std::slice::from_ref(file));
        let text = fs.read(&path).unwrap();
        let items = ide::complete(&fs, &path, offset, false);
        assert!(items.len() >= 3, "{items:?}");
        for item in items {
            assert!(!item.snippet, "{item:?}");
            let mut edited = text.to_string();
            edited.replace_range(item.edit.range.start..item.edit.range.end, &item.edit.new_text);
            let parsed = durable_lsp::syntax::jsonc::parse(&edited);
            assert!(parsed.errors.is_empty(), "{}: {edited}\n{:?}", item.label, parsed.errors);
        }
    }
}
