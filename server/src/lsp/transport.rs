//! The stdio transport: JSON-RPC frames in and out, robust against a
//! misbehaving client. lsp-server's own stdio reader stops at the first
//! malformed payload, which would end the server; this one answers it with
//! JSON-RPC's error (a client waiting on a request it garbled is not left
//! hanging), skips it, resynchronises on broken framing, and refuses absurd
//! sizes.

use std::cell::RefCell;
use std::io::{self, BufRead, Read, Write};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification, Request, RequestId, Response, ResponseError};

/// The frame buffer is reused up to this size.
const KEPT_FRAME_BYTES: usize = 1 << 20;

/// The largest message accepted (a 50 MB host.json fits; 2 GB does not).
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024 * 1024;

/// Where the server's messages come from.
pub enum Incoming {
    /// Standard input, read by the thread that handles the messages: no
    /// reader thread hands each one over (a thread wake-up per message,
    /// 5-8 µs of a request's round trip here). Nothing is lost by it: the
    /// server never looks ahead in its input, and a client's writes wait in
    /// the pipe while a message is handled.
    Stdin(io::StdinLock<'static>),
    /// A channel: lsp_server's in-memory connection, in tests.
    Channel(Receiver<Message>),
}

impl Incoming {
    /// The next well-formed message; `None` once the input has ended. A
    /// payload that is not one gets its error answer on `sink` on the way.
    pub fn recv(&mut self, sink: &Sink) -> Option<Message> {
        match self {
            Incoming::Stdin(input) => next_message(input, &mut |rejected| {
                if let Err(e) = sink.send(Outgoing::Rejected(rejected)) {
                    tracing::warn!("could not answer a malformed message: {e}");
                }
            }),
            Incoming::Channel(receiver) => receiver.recv().ok(),
        }
    }
}

/// A payload that is not a JSON-RPC message, as JSON-RPC 2.0 (section 5.1)
/// answers it: Parse error when it is not JSON, Invalid Request when it is
/// but is neither a request nor a notification, with the request's id when
/// one could be read and `null` otherwise.
#[derive(Debug)]
pub struct Rejected {
    id: Option<RequestId>,
    code: i32,
    message: String,
}

/// What the server sends.
pub enum Outgoing {
    Message(Message),
    /// The answer to a request whose result is JSON text already: a large
    /// typed result (a completion list) goes out without a `serde_json::Value`
    /// built, written and dropped for it.
    Answer(RequestId, String),
    /// The error answer to a malformed payload, whose id may be `null`
    /// (which lsp_server's `Response` cannot say).
    Rejected(Rejected),
}

impl From<Message> for Outgoing {
    fn from(message: Message) -> Outgoing {
        Outgoing::Message(message)
    }
}

/// Where the server's messages go.
pub enum Sink {
    /// Standard output, written by the thread that handles the messages.
    Stdout(RefCell<Frames>),
    /// A channel of messages: lsp_server's in-memory connection, in tests.
    Channel(Sender<Message>),
}

/// Standard output and the buffer each frame is put together in.
pub struct Frames {
    /// Held so that no other thread writes between frames.
    _lock: io::StdoutLock<'static>,
    out: std::fs::File,
    frame: Vec<u8>,
    /// A write failed, maybe halfway through a frame: anything written after
    /// it would be read as the rest of that frame, so nothing is.
    broken: bool,
}

impl Sink {
    pub fn send(&self, outgoing: impl Into<Outgoing>) -> io::Result<()> {
        let sent = match (self, outgoing.into()) {
            (Sink::Stdout(frames), outgoing) => {
                let Frames { out, frame, broken, .. } = &mut *frames.borrow_mut();
                if *broken {
                    return Err(io::Error::new(io::ErrorKind::BrokenPipe, "an earlier write to stdout failed"));
                }
                encode(&outgoing, frame)?;
                if let Err(e) = write_frame(out, frame) {
                    *broken = true;
                    return Err(e);
                }
                if frame.capacity() > KEPT_FRAME_BYTES {
                    // A rare large answer (a whole workspace's diagnostics) is not held for good.
                    *frame = Vec::new();
                }
                true
            }
            (Sink::Channel(sender), Outgoing::Message(message)) => sender.send(message).is_ok(),
            (Sink::Channel(sender), Outgoing::Answer(id, result)) => {
                let result = serde_json::from_str(&result).map_err(io::Error::other)?;
                sender.send(Message::Response(Response { id, response_result: Ok(result) })).is_ok()
            }
            // In-memory clients send typed messages: nothing there is malformed.
            (Sink::Channel(_), Outgoing::Rejected(_)) => true,
        };
        if sent { Ok(()) } else { Err(io::Error::new(io::ErrorKind::BrokenPipe, "the connection is closed")) }
    }
}

/// Standard input and output for the server's one thread. There is no
/// writer thread: handing each answer to one cost a thread wake-up (7 µs of
/// a request's round trip here), and bought little, since lsp-server's
/// rendezvous channel let the server run only one frame ahead of a client
/// that does not read. LSP clients read their server's output as it comes
/// (VS Code's streams, Neovim's event loop); a frame goes out in one write,
/// straight to the descriptor, not through Stdout's line buffer (which
/// would write a frame's header and body in two system calls).
pub fn stdio() -> io::Result<(Incoming, Sink)> {
    let lock = io::stdout().lock();
    let out = unbuffered(&lock)?;
    let frames = Frames { _lock: lock, out, frame: Vec::new(), broken: false };
    Ok((Incoming::Stdin(io::stdin().lock()), Sink::Stdout(RefCell::new(frames))))
}

/// Writes the whole frame. A client may hand over its pipe non-blocking: a
/// full pipe is waited out rather than left with half a frame in it.
fn write_frame(out: &mut impl Write, mut frame: &[u8]) -> io::Result<()> {
    while !frame.is_empty() {
        match out.write(frame) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => frame = &frame[written..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(std::time::Duration::from_millis(1)),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Standard output as a file of its own: what is written goes out at once.
#[cfg(unix)]
fn unbuffered(stdout: &io::StdoutLock<'_>) -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(stdout.as_fd().try_clone_to_owned()?.into())
}

#[cfg(windows)]
fn unbuffered(stdout: &io::StdoutLock<'_>) -> io::Result<std::fs::File> {
    use std::os::windows::io::AsHandle;
    Ok(stdout.as_handle().try_clone_to_owned()?.into())
}

/// A message as one frame (header and body) in `frame`, replacing what it held.
fn encode(outgoing: &Outgoing, frame: &mut Vec<u8>) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct JsonRpc<'a> {
        jsonrpc: &'static str,
        #[serde(flatten)]
        message: &'a Message,
    }
    frame.clear();
    match outgoing {
        Outgoing::Message(message) => serde_json::to_writer(&mut *frame, &JsonRpc { jsonrpc: "2.0", message })?,
        Outgoing::Answer(id, result) => {
            // What lsp_server writes for a response, with the result as it is.
            frame.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
            serde_json::to_writer(&mut *frame, id)?;
            frame.extend_from_slice(br#","result":"#);
            frame.extend_from_slice(result.as_bytes());
            frame.push(b'}');
        }
        Outgoing::Rejected(Rejected { id, code, message }) => {
            let error = serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
            serde_json::to_writer(&mut *frame, &error)?;
        }
    }
    let header = format!("Content-Length: {}\r\n\r\n", frame.len());
    frame.splice(..0, header.bytes());
    Ok(())
}

/// The next well-formed message (`None` at the end of input); malformed
/// frames and payloads are skipped with a log line, and a payload that
/// JSON-RPC answers is handed to `reject`.
pub fn next_message(input: &mut impl BufRead, reject: &mut impl FnMut(Rejected)) -> Option<Message> {
    loop {
        let body = match read_frame(input) {
            Ok(Some(body)) => body,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!("skipping a malformed frame: {e}");
                continue;
            }
        };
        match decode(&body) {
            Ok(message) => return Some(message),
            Err(Malformed { why, answer }) => {
                tracing::warn!("skipping a message that is not JSON-RPC: {why}");
                if let Some(rejected) = answer {
                    reject(rejected);
                }
            }
        }
    }
}

/// Starts the handshake: the `initialize` request's id and parameters.
/// Requests before it are refused with ServerNotInitialized and
/// notifications dropped, as LSP says; `exit` or the end of input end it.
pub fn initialize_start(incoming: &mut Incoming, sender: &Sink) -> Result<(RequestId, serde_json::Value), String> {
    loop {
        match incoming.recv(sender) {
            Some(Message::Request(request)) if request.method == "initialize" => {
                return Ok((request.id, request.params));
            }
            Some(Message::Request(request)) => {
                let message = format!("{} before initialize", request.method);
                let error = Response::new_err(request.id, lsp_server::ErrorCode::ServerNotInitialized as i32, message);
                sender.send(Message::Response(error)).map_err(|e| e.to_string())?;
            }
            Some(Message::Notification(notification)) if notification.method == "exit" => {
                return Err("`exit` before initialize".into());
            }
            Some(_) => {}
            None => return Err("the input ended before initialize".into()),
        }
    }
}

/// Ends the handshake: answers `initialize` and waits for `initialized`.
/// Answers `initialize` and reads the `initialized` notification. A client
/// that skips it is served all the same: the message it sent instead is
/// returned, to be handled first.
pub fn initialize_finish(
    incoming: &mut Incoming,
    sender: &Sink,
    id: RequestId,
    result: serde_json::Value,
) -> Result<Option<Message>, String> {
    sender.send(Message::Response(Response { id, response_result: Ok(result) })).map_err(|e| e.to_string())?;
    match incoming.recv(sender) {
        Some(Message::Notification(notification)) if notification.method == "initialized" => Ok(None),
        Some(message) => {
            tracing::warn!("the client sent no initialized notification; going on");
            Ok(Some(message))
        }
        None => Err("the input ended before initialized".into()),
    }
}

/// Why a payload is not a message, and the answer it is owed, if any.
struct Malformed {
    why: String,
    answer: Option<Rejected>,
}

impl Malformed {
    /// Not answered: it may be a response (answering one could start an
    /// endless exchange with a client that does the same).
    fn quiet(why: impl Into<String>) -> Malformed {
        Malformed { why: why.into(), answer: None }
    }

    fn answered(why: impl Into<String>, id: Option<RequestId>, code: i32) -> Malformed {
        let why = why.into();
        Malformed { answer: Some(Rejected { id, code, message: why.clone() }), why }
    }
}

/// A JSON-RPC message from its bytes. Read as a `Value` and taken apart by
/// hand: serde's untagged `Message` buffers the whole payload a second time
/// (a 2 MB didOpen would be copied twice more before the server sees it).
fn decode(body: &[u8]) -> Result<Message, Malformed> {
    const PARSE_ERROR: i32 = lsp_server::ErrorCode::ParseError as i32;
    const INVALID_REQUEST: i32 = lsp_server::ErrorCode::InvalidRequest as i32;
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        // A JavaScript client writes half of a surrogate pair (an emoji an
        // edit cut in two) as `\ud83d`, which serde rejects, as it does bytes
        // that are not UTF-8. Dropping the message would leave the buffer
        // out of step with the editor's; each becomes U+FFFD instead, one
        // UTF-16 unit as the lone surrogate was, so positions stay aligned.
        Err(e) => serde_json::from_str(&replace_lone_surrogates(&String::from_utf8_lossy(body)))
            .map_err(|_| Malformed::answered(format!("not JSON: {e}"), None, PARSE_ERROR))?,
    };
    let serde_json::Value::Object(mut fields) = value else {
        return Err(Malformed::answered("not a JSON object (LSP sends no batches)", None, INVALID_REQUEST));
    };
    // A null `id` or `error` is the same as none (JSON-RPC 1.0 clients send `"id": null` on notifications).
    let present = |value: Option<serde_json::Value>| value.filter(|v| !v.is_null());
    let is_request = fields.contains_key("method");
    let id = present(fields.remove("id")).map(serde_json::from_value::<RequestId>).transpose().map_err(|_| {
        let why = "an `id` that is neither a string nor a whole number the server takes (32 bits)";
        if is_request { Malformed::answered(why, None, INVALID_REQUEST) } else { Malformed::quiet(why) }
    })?;
    let params = fields.remove("params").unwrap_or(serde_json::Value::Null);
    match (fields.remove("method"), id) {
        (Some(serde_json::Value::String(method)), Some(id)) => Ok(Message::Request(Request { id, method, params })),
        (Some(serde_json::Value::String(method)), None) => Ok(Message::Notification(Notification { method, params })),
        // With no id to answer to, `null` (JSON-RPC 2.0's own example of an invalid request).
        (Some(_), id) => Err(Malformed::answered("`method` is not a string", id, INVALID_REQUEST)),
        (None, Some(id)) => {
            let error = present(fields.remove("error"))
                .map(serde_json::from_value::<ResponseError>)
                .transpose()
                .map_err(|e| Malformed::quiet(format!("a response with a malformed `error`: {e}")))?;
            let response_result = match (error, fields.remove("result")) {
                (Some(error), _) => Err(error),
                (None, Some(result)) => Ok(result),
                (None, None) => return Err(Malformed::quiet("a response without `result` or `error`")),
            };
            Ok(Message::Response(Response { id, response_result }))
        }
        (None, None) if fields.contains_key("result") || fields.contains_key("error") => {
            Err(Malformed::quiet("a response without an `id`"))
        }
        (None, None) => {
            Err(Malformed::answered("neither a request, a notification nor a response", None, INVALID_REQUEST))
        }
    }
}

/// `text` (JSON) with each `\uXXXX` escape of a surrogate that has no
/// partner written as `\ufffd`.
fn replace_lone_surrogates(text: &str) -> String {
    let bytes = text.as_bytes();
    let unit = |at: usize| -> Option<u32> {
        let digits = bytes.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let (high, low) = (0xD800..0xDC00, 0xDC00..0xE000);
    let mut out = String::with_capacity(text.len());
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match unit(at) {
            Some(u) if high.contains(&u) && unit(at + 6).is_some_and(|l| low.contains(&l)) => at += 12,
            Some(u) if high.contains(&u) || low.contains(&u) => {
                out.push_str(&text[copied..at]);
                out.push_str("\\ufffd");
                at += 6;
                copied = at;
            }
            Some(_) => at += 6,
            // Any other escape, `\\` included: its two characters.
            None => at += 2,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// One frame's body. `Ok(None)` at the end of input; `Err` for a frame to
/// skip (the stream is then positioned after it, or at the next header).
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        let read = input.by_ref().take(8192).read_line(&mut line)?;
        if read == 0 {
            return Ok(None);
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = trimmed.split_once(':') {
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        return Err(io::Error::other("a header without a valid Content-Length"));
    };
    if length > MAX_MESSAGE_BYTES {
        // Read and drop it, so the next frame starts where it should.
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Err(io::Error::other(format!("a {length}-byte message, above the {MAX_MESSAGE_BYTES}-byte limit")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Half a surrogate pair, as JavaScript's JSON.stringify writes it, is
    /// read as U+FFFD; a whole pair and an escaped backslash are left alone.
    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(replace_lone_surrogates(r#""a\ud83db""#), r#""a\ufffdb""#);
        assert_eq!(replace_lone_surrogates(r#""\ude00\ud83d""#), r#""\ufffd\ufffd""#);
        assert_eq!(replace_lone_surrogates(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
        assert_eq!(replace_lone_surrogates(r#""\\ud83d\n""#), r#""\\ud83d\n""#);
        let body = br#"{"jsonrpc":"2.0","method":"m","params":{"text":"x\ud83d"}}"#;
        let Ok(Message::Notification(notification)) = decode(body) else { panic!("not read") };
        assert_eq!(notification.params["text"], "x\u{fffd}");
        let Ok(Message::Notification(notification)) = decode(b"{\"method\":\"m\",\"params\":\"\xff\"}") else {
            panic!("not read")
        };
        assert_eq!(notification.params, "\u{fffd}");
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_payloads_and_frames_are_skipped() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "{}{}Garbage-Header: x\r\n\r\n{}{}Content-Length: 999999999999\r\n\r\n",
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":true}"#),
            frame(good),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        );
        let mut input = io::Cursor::new(input.into_bytes());
        let received: Vec<Message> = std::iter::from_fn(|| next_message(&mut input, &mut |_| {})).collect();
        assert_eq!(received.len(), 2, "{received:?}");
        assert!(matches!(&received[1], Message::Notification(n) if n.method == "exit"));
    }

    /// What JSON-RPC 2.0 answers each malformed payload with: nothing for
    /// what may be a response or a notification, else the error, with the
    /// request's id when it could be read.
    #[test]
    fn malformed_payloads_get_json_rpc_errors() {
        let cases: [(&str, Option<&str>); 13] = [
            (
                "{not json",
                Some(
                    r#"{"error":{"code":-32700,"message":"not JSON: key must be a string at line 1 column 2"},"id":null,"jsonrpc":"2.0"}"#,
                ),
            ),
            (
                "[]",
                Some(
                    r#"{"error":{"code":-32600,"message":"not a JSON object (LSP sends no batches)"},"id":null,"jsonrpc":"2.0"}"#,
                ),
            ),
            (
                "{}",
                Some(
                    r#"{"error":{"code":-32600,"message":"neither a request, a notification nor a response"},"id":null,"jsonrpc":"2.0"}"#,
                ),
            ),
            (
                r#"{"id":4,"method":3}"#,
                Some(r#"{"error":{"code":-32600,"message":"`method` is not a string"},"id":4,"jsonrpc":"2.0"}"#),
            ),
            (
                r#"{"id":"a","method":null}"#,
                Some(r#"{"error":{"code":-32600,"message":"`method` is not a string"},"id":"a","jsonrpc":"2.0"}"#),
            ),
            (
                r#"{"id":[1],"method":"x"}"#,
                Some(
                    r#"{"error":{"code":-32600,"message":"an `id` that is neither a string nor a whole number the server takes (32 bits)"},"id":null,"jsonrpc":"2.0"}"#,
                ),
            ),
            (
                r#"{"method":3}"#,
                Some(r#"{"error":{"code":-32600,"message":"`method` is not a string"},"id":null,"jsonrpc":"2.0"}"#),
            ),
            (
                r#"{"id":9999999999,"method":"x"}"#,
                Some(
                    r#"{"error":{"code":-32600,"message":"an `id` that is neither a string nor a whole number the server takes (32 bits)"},"id":null,"jsonrpc":"2.0"}"#,
                ),
            ),
            (r#"{"id":true}"#, None),
            (r#"{"id":1}"#, None),
            (r#"{"id":1,"error":"no"}"#, None),
            (r#"{"result":1}"#, None),
            (r#"{"id":null,"error":{"code":1,"message":"m"}}"#, None),
        ];
        for (payload, expected) in cases {
            let mut input = io::Cursor::new(frame(payload).into_bytes());
            let mut rejected = Vec::new();
            assert!(next_message(&mut input, &mut |r| rejected.push(r)).is_none(), "{payload}");
            let answers: Vec<String> = rejected
                .into_iter()
                .map(|r| {
                    let mut frame = Vec::new();
                    encode(&Outgoing::Rejected(r), &mut frame).unwrap();
                    let body = String::from_utf8(frame).unwrap();
                    let (_, body) = body.split_once("\r\n\r\n").unwrap();
                    // Key order aside: compared as values.
                    serde_json::from_str::<serde_json::Value>(body).unwrap().to_string()
                })
                .collect();
            let expected: Vec<String> = expected.into_iter().map(str::to_string).collect();
            assert_eq!(answers, expected, "{payload}");
        }
    }

    #[test]
    fn frames_are_what_lsp_server_writes() {
        let messages = [
            Message::Response(Response { id: 7.into(), response_result: Ok(serde_json::json!({"items": ["é\n"]})) }),
            Message::Response(Response::new_err("x".to_string().into(), -32601, "no such method".into())),
            Message::Notification(Notification::new("window/logMessage".into(), serde_json::json!({"message": ""}))),
            Message::Request(Request::new(1.into(), "workspace/configuration".into(), serde_json::Value::Null)),
        ];
        let mut frame = vec![b'x'; 3];
        for message in messages {
            let mut expected = Vec::new();
            message.clone().write(&mut expected).unwrap();
            encode(&Outgoing::Message(message), &mut frame).unwrap();
            assert_eq!(String::from_utf8_lossy(&frame), String::from_utf8_lossy(&expected));
        }
        // An answer given as JSON text: the frame of the same result as a Value.
        for id in [RequestId::from(7), RequestId::from("a\"b".to_string())] {
            let result = serde_json::json!({"isIncomplete": false, "items": [{"label": "é\n"}]});
            let mut expected = Vec::new();
            Message::Response(Response { id: id.clone(), response_result: Ok(result.clone()) })
                .write(&mut expected)
                .unwrap();
            encode(&Outgoing::Answer(id, result.to_string()), &mut frame).unwrap();
            assert_eq!(String::from_utf8_lossy(&frame), String::from_utf8_lossy(&expected));
        }
    }

    /// A pipe that takes a few bytes at a time and is full every other call.
    struct Trickle {
        written: Vec<u8>,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            match self.calls % 3 {
                0 => Err(io::ErrorKind::WouldBlock.into()),
                1 => Err(io::ErrorKind::Interrupted.into()),
                _ => {
                    let taken = bytes.len().min(5);
                    self.written.extend_from_slice(&bytes[..taken]);
                    Ok(taken)
                }
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_frame_goes_out_whole_through_a_full_or_interrupted_pipe() {
        let mut pipe = Trickle { written: Vec::new(), calls: 0 };
        let frame = frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        write_frame(&mut pipe, frame.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(pipe.written).unwrap(), frame);
    }

    #[test]
    fn messages_are_told_apart_as_json_rpc_says() {
        let decoded = |body: &str| decode(body.as_bytes());
        // A null id, as JSON-RPC 1.0 clients send on notifications.
        assert!(matches!(decoded(r#"{"method":"initialized","id":null}"#), Ok(Message::Notification(_))));
        assert!(matches!(decoded(r#"{"method":"m","id":"x"}"#), Ok(Message::Request(r)) if r.params.is_null()));
        let response = decoded(r#"{"id":3,"result":[1],"error":null}"#);
        assert!(
            matches!(response, Ok(Message::Response(r)) if r.response_result.as_ref().ok() == Some(&serde_json::json!([1])))
        );
        let failed = decoded(r#"{"id":3,"error":{"code":-32601,"message":"no"}}"#);
        assert!(matches!(failed, Ok(Message::Response(r)) if r.response_result.is_err()));
        for bad in [r#"{"id":3}"#, r#"{"method":7}"#, "[]", r#"{"id":1.5,"method":"m"}"#] {
            assert!(decoded(bad).is_err(), "{bad}");
        }
    }
}
