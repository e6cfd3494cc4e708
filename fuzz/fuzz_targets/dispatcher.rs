//! The LSP message path: any bytes through the stdio frame reader, then every
//! message it accepts through the server's dispatcher after an initialize.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lsp_server::{Connection, Message, Notification, Request};

fuzz_target!(|data: &[u8]| {
    let mut input = std::io::Cursor::new(data);
    let messages: Vec<Message> =
        std::iter::from_fn(|| durable_lsp::lsp::transport::next_message(&mut input)).take(64).collect();

    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || durable_lsp::lsp::run(server).is_ok());
    let init = serde_json::json!({"capabilities": {"textDocument": {"diagnostic": {}}}});
    client.sender.send(Message::Request(Request::new(0.into(), "initialize".into(), init))).unwrap();
    let _ = client.receiver.recv();
    client.sender.send(Message::Notification(Notification::new("initialized".into(), serde_json::json!({})))).unwrap();
    for message in messages {
        if matches!(&message, Message::Notification(n) if n.method == "exit") {
            continue;
        }
        if let Message::Request(r) = &message {
            if r.method == "shutdown" || r.method == "initialize" {
                continue;
            }
        }
        client.sender.send(message).unwrap();
    }
    client.sender.send(Message::Request(Request::new(i32::MAX.into(), "shutdown".into(), serde_json::Value::Null))).unwrap();
    client.sender.send(Message::Notification(Notification::new("exit".into(), serde_json::Value::Null))).unwrap();
    // Drain answers so the server never blocks on a full channel.
    while client.receiver.recv_timeout(std::time::Duration::from_secs(5)).is_ok() {}
    assert!(thread.join().unwrap());
});
