//! A hand-rolled HTTP/1.1 server on loopback that answers as a test tells it to, including
//! the misbehaviour a real library server will not produce: a connection closed without an
//! answer, or mid-body. Shared by `tests/faults.rs`, `tests/tracing.rs` and `benches/overhead.rs`
//! (which includes this file by path).

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Header names in lower case, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
pub enum Reply {
    /// A complete response.
    Full { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Close the connection without answering.
    Close,
    /// Send the head announcing `announced` body bytes, then only `body`, then close.
    Partial { status: u16, announced: usize, body: Vec<u8> },
    /// Wait, then reply.
    After(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(body).unwrap(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// A running server; it stops when the test's runtime ends.
pub struct Loopback {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    count: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
}

impl Loopback {
    /// Starts a server that answers request number `n` (0-based, over all connections) with
    /// `handler(n, &request)`.
    pub async fn start(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (recorded, counter) = (requests.clone(), count.clone());
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (handler, recorded, counter) = (handler.clone(), recorded.clone(), counter.clone());
                tokio::spawn(serve(stream, handler, recorded, counter));
            }
        });
        Loopback { base_url, requests, count, connections }
    }

    /// Starts a server that answers every request with `200` and `body` (JSON), recording
    /// nothing but the count: the lightest server, for benchmarks.
    pub async fn start_fixed(body: Vec<u8>) -> Loopback {
        let response: Arc<[u8]> = {
            let mut out = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
            out.extend_from_slice(&body);
            out.into()
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (response, counter) = (response.clone(), counter.clone());
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    while read_request(&mut stream, &mut buffer).await.is_some() {
                        counter.fetch_add(1, Ordering::Relaxed);
                        if stream.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Loopback { base_url, requests: Arc::new(Mutex::new(Vec::new())), count, connections }
    }

    /// Every request read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// Serves one connection, keeping it alive between complete responses.
async fn serve(mut stream: TcpStream, handler: Arc<Handler>, recorded: Arc<Mutex<Vec<Recorded>>>, count: Arc<AtomicUsize>) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else { return };
        let index = count.fetch_add(1, Ordering::SeqCst);
        recorded.lock().unwrap().push(request.clone());
        let mut reply = handler(index, &request);
        while let Reply::After(wait, next) = reply {
            tokio::time::sleep(wait).await;
            reply = *next;
        }
        match reply {
            Reply::Full { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let mut out = head.into_bytes();
                out.extend_from_slice(&body);
                if stream.write_all(&out).await.is_err() {
                    return;
                }
            }
            Reply::Close => return,
            Reply::Partial { status, announced, body } => {
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.flush().await;
                return;
            }
            Reply::After(..) => unreachable!("unwrapped above"),
        }
    }
}

/// Reads one request (head and `content-length` body); `None` when the connection ends.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 8192];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (request_line.next()?.to_owned(), request_line.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 65536];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Recorded { method, target, headers, body })
}
