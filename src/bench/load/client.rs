//! Just enough HTTP/1.1 for the load generator to talk to our own server: one keep-alive
//! connection, one request at a time, bodies framed by `Content-Length` or `chunked`. No
//! pipelining, compression, redirects or TLS; it must not grow into a general HTTP client.

use std::io::ErrorKind;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response larger than this is refused rather than buffered.
const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// Why a request got no response.
#[derive(Debug, thiserror::Error)]
pub(super) enum ClientError {
    /// Connecting, writing or reading failed, or the server closed the connection mid-response.
    #[error("connection failed: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not an HTTP/1.x response this client understands.
    #[error("malformed response: {0}")]
    Malformed(&'static str),
}

/// One response, its body unframed.
#[derive(Debug, PartialEq)]
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
    /// The server closes the connection after this response.
    pub(super) close: bool,
}

/// A keep-alive connection to one server, opened on first use and again after the server closes.
pub(super) struct Connection {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    request: Vec<u8>,
    response: Vec<u8>,
}

impl Connection {
    pub(super) fn new(addr: SocketAddr) -> Self {
        let (stream, request, response) = (None, Vec::new(), Vec::with_capacity(16 << 10));
        Self {
            addr,
            stream,
            request,
            response,
        }
    }

    /// Sends one request (a non-empty body as JSON) and reads its response. When the server had
    /// closed the idle connection before reading the request, sends it once more on a new one.
    pub(super) async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<Response, ClientError> {
        let host = self.addr;
        let json = if body.is_empty() {
            ""
        } else {
            "Content-Type: application/json\r\n"
        };
        let length = body.len();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{json}Content-Length: {length}\r\n\r\n"
        );
        self.request.clear();
        self.request.extend_from_slice(head.as_bytes());
        self.request.extend_from_slice(body);
        let reused = self.stream.is_some();
        let mut exchanged = self.exchange().await;
        if reused && matches!(exchanged, Ok(None)) {
            exchanged = self.exchange().await;
        }
        if !matches!(exchanged, Ok(Some(Response { close: false, .. }))) {
            self.stream = None;
        }
        exchanged?.ok_or_else(|| ErrorKind::UnexpectedEof.into())
    }

    /// Writes the request and reads one response; `None` when the connection turns out closed
    /// before any byte of a response arrived (and is dropped).
    async fn exchange(&mut self) -> Result<Option<Response>, ClientError> {
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => self.stream.insert(connect(self.addr).await?),
        };
        self.response.clear();
        let closed = match stream.write_all(&self.request).await {
            Err(error) if closed_by_peer(&error) => true,
            written => {
                written?;
                read_response(stream, &mut self.response).await?
            }
        };
        if closed {
            self.stream = None;
            return Ok(None);
        }
        match parse_response(&self.response)? {
            Some((response, used)) if used == self.response.len() => Ok(Some(response)),
            _ => Err(ClientError::Malformed("bytes after the response")),
        }
    }
}

async fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// Reads until `buf` holds a whole response; `true` when the connection was closed before any of
/// it arrived.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<bool, ClientError> {
    loop {
        buf.reserve(8 << 10);
        match stream.read_buf(buf).await {
            Ok(0) if buf.is_empty() => return Ok(true),
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Err(error) if buf.is_empty() && closed_by_peer(&error) => return Ok(true),
            read => read?,
        };
        if parse_response(buf)?.is_some() {
            return Ok(false);
        }
        if buf.len() > MAX_RESPONSE_BYTES {
            return Err(ClientError::Malformed("response larger than 16 MiB"));
        }
    }
}

fn closed_by_peer(error: &std::io::Error) -> bool {
    use ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset};
    matches!(
        error.kind(),
        BrokenPipe | ConnectionReset | ConnectionAborted
    )
}

impl From<ErrorKind> for ClientError {
    fn from(kind: ErrorKind) -> Self {
        ClientError::Io(kind.into())
    }
}

/// One response from the start of `buf` and how many bytes it took, or `None` while incomplete.
fn parse_response(buf: &[u8]) -> Result<Option<(Response, usize)>, ClientError> {
    use ClientError::Malformed;
    let Some(head_len) = find(buf, b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&buf[..head_len]).map_err(|_| Malformed("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let mut status_line = lines.next().unwrap_or_default().splitn(3, ' ');
    let status = match (status_line.next(), status_line.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/1.") => code.parse::<u16>().ok(),
        _ => None,
    };
    let status = status.ok_or(Malformed("not an HTTP/1.x status line"))?;
    let (mut length, mut chunked, mut close) = (None, false, false);
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or(Malformed("header without a colon"))?;
        let value = value.trim().to_ascii_lowercase();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(value.parse().map_err(|_| Malformed("bad Content-Length"))?);
            }
            "transfer-encoding" if value == "chunked" => chunked = true,
            "transfer-encoding" => return Err(Malformed("transfer coding other than chunked")),
            "connection" => close = value.split(',').any(|token| token.trim() == "close"),
            _ => {}
        }
    }
    let rest = &buf[head_len + 4..];
    let body = if chunked {
        parse_chunked(rest)?
    } else if let Some(length) = length {
        rest.get(..length).map(|body| (body.to_vec(), length))
    } else if matches!(status, 100..=199 | 204 | 304) {
        Some((Vec::new(), 0))
    } else {
        return Err(Malformed("neither Content-Length nor chunked"));
    };
    let response = |(body, used)| {
        (
            Response {
                status,
                body,
                close,
            },
            head_len + 4 + used,
        )
    };
    Ok(body.map(response))
}

/// A chunked body from the start of `buf` and how many bytes it took, or `None` while incomplete.
fn parse_chunked(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ClientError> {
    use ClientError::Malformed;
    let (mut body, mut at) = (Vec::new(), 0);
    while let Some(line_len) = find(&buf[at..], b"\r\n") {
        let line = std::str::from_utf8(&buf[at..at + line_len]).unwrap_or_default();
        let digits = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(digits, 16).map_err(|_| Malformed("bad chunk size"))?;
        at += line_len + 2;
        if size == 0 {
            // The last chunk: trailer fields, if any, then an empty line.
            let rest = &buf[at..];
            let end = match rest.starts_with(b"\r\n") {
                true => Some(2),
                false => find(rest, b"\r\n\r\n").map(|i| i + 4),
            };
            return Ok(end.map(|end| (body, at + end)));
        }
        let end = at.checked_add(size).and_then(|end| end.checked_add(2));
        let Some(chunk) = buf.get(at..end.ok_or(Malformed("chunk too large"))?) else {
            return Ok(None);
        };
        let data = chunk
            .strip_suffix(b"\r\n")
            .ok_or(Malformed("chunk without CRLF"))?;
        body.extend_from_slice(data);
        at += chunk.len();
    }
    Ok(None)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Response {
        let (response, used) = parse_response(bytes)
            .expect("parses")
            .expect("a whole response");
        assert_eq!(used, bytes.len());
        response
    }

    fn assert_incomplete_until_the_end(bytes: &[u8]) {
        for cut in 0..bytes.len() {
            assert!(
                parse_response(&bytes[..cut]).expect("parses").is_none(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_content_length_response_is_complete_only_with_its_whole_body() {
        let bytes = b"HTTP/1.1 201 Created\r\ncontent-length: 7\r\nx: y\r\n\r\n{\"a\":1}";
        assert_incomplete_until_the_end(bytes);
        let body = b"{\"a\":1}".to_vec();
        assert_eq!(
            parse(bytes),
            Response {
                status: 201,
                body,
                close: false
            }
        );
    }

    #[test]
    fn a_chunked_response_with_extensions_and_trailers_is_joined() {
        let bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
            4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nx-trailer: y\r\n\r\n";
        assert_incomplete_until_the_end(bytes);
        let body = b"{\"a\":1}".to_vec();
        assert_eq!(
            parse(bytes),
            Response {
                status: 200,
                body,
                close: true
            }
        );
        let plain = b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
        assert_eq!(parse(plain).body, b"ok");
    }

    #[test]
    fn no_content_needs_no_length() {
        assert_eq!(
            parse(b"HTTP/1.1 204 No Content\r\ndate: x\r\n\r\n").body,
            b""
        );
    }

    #[test]
    fn responses_this_client_cannot_read_are_errors_not_hangs() {
        for bytes in [
            &b"HTTP/1.1 200 OK\r\n\r\n{}"[..],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n",
            b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
            b"SSH-2.0 hello\r\n\r\n",
        ] {
            let parsed = parse_response(bytes);
            assert!(
                matches!(parsed, Err(ClientError::Malformed(_))),
                "{parsed:?}"
            );
        }
    }

    /// A server that answers one request per connection and then hangs up without saying so,
    /// like one whose keep-alive timer ran out between two requests.
    #[tokio::test]
    async fn a_connection_the_server_closed_is_replaced_without_an_error() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let addr = listener.local_addr().expect("bound");
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = [0; 1024];
                let read = socket.read(&mut request).await.expect("request");
                assert!(read > 0);
                let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
                socket.write_all(ok).await.expect("response");
            }
        });
        let mut connection = Connection::new(addr);
        for _ in 0..3 {
            let response = connection.send("POST", "/echo", b"{}").await.expect("200");
            assert_eq!((response.status, response.body), (200, b"{}".to_vec()));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}
