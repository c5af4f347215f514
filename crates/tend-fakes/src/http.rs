//! A small threaded HTTP/1.1 server on loopback with keep-alive, enough for JSON APIs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A form field of an `application/x-www-form-urlencoded` body.
    pub fn form(&self, name: &str) -> Option<String> {
        self.body.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| decode(v))
        })
    }

    /// A query parameter, decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| decode(v))
        })
    }

    /// A query parameter holding JSON (Zalo's `?data={...}`), or null.
    pub fn query_json(&self, name: &str) -> serde_json::Value {
        self.query(name)
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A response; `delay` makes the server wait before answering (to provoke timeouts), and
/// `drop` closes the connection instead of answering at all.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub drop: bool,
}

/// What goes wrong with the answer after a fake has done what was asked (recorded a message as
/// delivered): the case where the client cannot know whether its request took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mishap {
    /// The answer comes, but only after this long (longer than the client waits).
    Late(Duration),
    /// The connection closes without an answer.
    Drop,
}

impl Mishap {
    /// Reads a mishap from a test hook's JSON: `{"kind": "late", "secs": 3}` or `{"kind": "drop"}`.
    pub fn from_json(v: &serde_json::Value) -> Option<Mishap> {
        match v["kind"].as_str()? {
            "late" => Some(Mishap::Late(Duration::from_secs_f64(
                v["secs"].as_f64().unwrap_or(5.0),
            ))),
            "drop" => Some(Mishap::Drop),
            _ => None,
        }
    }

    /// The answer `response`, spoiled by this mishap.
    pub fn spoil(self, response: Response) -> Response {
        match self {
            Mishap::Late(d) => response.delayed(d),
            Mishap::Drop => Response {
                drop: true,
                ..response
            },
        }
    }
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, v: serde_json::Value) -> Self {
        Response {
            status,
            body: v.to_string(),
            ..Default::default()
        }
    }

    /// This response, given only after `delay`.
    pub fn delayed(self, delay: Duration) -> Self {
        Response { delay, ..self }
    }
}

/// A running server; stops when dropped.
pub struct FakeServer {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl FakeServer {
    /// Serves `handler` on 127.0.0.1 and a free port (or `port`).
    pub fn start(
        port: u16,
        handler: Arc<dyn Fn(&Request) -> Response + Send + Sync>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = handler.clone();
                std::thread::spawn(move || serve(stream, handler.as_ref()));
            }
        });
        Ok(FakeServer { addr, stop })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Unblock the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, handler: &(dyn Fn(&Request) -> Response + Send + Sync)) {
    let _ = stream.set_nodelay(true);
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("/").to_string();
        let mut headers = Vec::new();
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                let (k, v) = (k.trim().to_string(), v.trim().to_string());
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.parse().unwrap_or(0);
                }
                if k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close") {
                    close = true;
                }
                headers.push((k, v));
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        let req = Request {
            method,
            path,
            query,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let resp = handler(&req);
        if !resp.delay.is_zero() {
            std::thread::sleep(resp.delay);
        }
        if resp.drop {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
        let text = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
            resp.status,
            reason(resp.status),
            resp.body.len(),
            resp.body
        );
        if writer.write_all(text.as_bytes()).is_err() || close {
            return;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    }
}

/// Decodes `application/x-www-form-urlencoded` text.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
