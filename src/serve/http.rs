//! The preview's HTTP server (`tiny_http`): four kinds of routes and nothing else. `/` is
//! the page, `/events` tells an open page when a build starts and finishes (server-sent
//! events), `/page/D/N.png` is page N of the D-th document, and `/font/hei.otf` and
//! `/font/hei-fallback.otf` are the bundled faces the page's text is set in (the bytes
//! compiled into the binary, so Chinese text shows without CJK fonts on the machine that
//! runs the browser). Every request must name
//! this server in its Host header (a guard against DNS rebinding); no file of the disk
//! is ever served.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::State;
use crate::error::Failure;

/// Threads answering requests (an event stream has a thread of its own).
const THREADS: usize = 4;

/// Open event streams at most (one per open tab); more are refused with 503.
const MAX_STREAMS: usize = 32;

/// A comment line is sent this often on an idle event stream, so a closed tab is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A bound, not yet answering, server.
pub struct Server {
    inner: Arc<tiny_http::Server>,
    addr: SocketAddr,
    host: String,
}

impl Server {
    /// Listens on `host:port` (port 0: any free port). A port in use is an error that
    /// says so.
    pub fn bind(host: &str, port: u16) -> Result<Server, Failure> {
        let listener = TcpListener::bind((host, port)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Failure::io(format!("cannot serve on {host}:{port}: the port is in use"))
                    .hint("another program (perhaps another `jianbao serve`) listens there; stop it, or choose another port with --port N")
            } else {
                Failure::io(format!("cannot listen on {host}:{port}: {e}"))
                    .hint("--host takes an address of this machine, such as 127.0.0.1 (the default) or 0.0.0.0 (every network)")
            }
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure::io(format!("cannot listen on {host}:{port}: {e}")))?;
        let inner = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Failure::io(format!("cannot listen on {host}:{port}: {e}")))?;
        Ok(Server { inner: Arc::new(inner), addr, host: host.to_string() })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        let ip = self.addr.ip();
        let shown = if ip.is_unspecified() {
            "127.0.0.1".to_string()
        } else if ip.is_ipv6() {
            format!("[{ip}]")
        } else {
            ip.to_string()
        };
        format!("http://{shown}:{}/", self.addr.port())
    }

    /// Starts answering requests on threads of their own, from `state`.
    pub fn start(&self, state: Arc<State>) -> Result<(), Failure> {
        let guard = Arc::new(Guard { host: self.host.clone(), port: self.addr.port() });
        let streams = Arc::new(AtomicUsize::new(0));
        for i in 0..THREADS {
            let (server, state, guard, streams) =
                (self.inner.clone(), state.clone(), guard.clone(), streams.clone());
            std::thread::Builder::new()
                .name(format!("jianbao-http-{i}"))
                .spawn(move || {
                    while let Ok(request) = server.recv() {
                        answer(request, &state, &guard, &streams);
                    }
                })
                .map_err(|e| Failure::io(format!("cannot start the server's threads: {e}")))?;
        }
        Ok(())
    }
}

/// Which Host headers name this server.
struct Guard {
    /// `--host` as given.
    host: String,
    port: u16,
}

impl Guard {
    /// Whether a Host header names this server: `localhost`, an IP address or the
    /// `--host` name, with this server's port. A DNS-rebinding page reaches the server
    /// under a name of its own, which is refused.
    fn allows(&self, header: Option<&str>) -> bool {
        let Some(header) = header else { return false };
        let (name, port) = match header.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (header, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        let bare = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
        name.eq_ignore_ascii_case("localhost")
            || bare.parse::<IpAddr>().is_ok()
            || name.eq_ignore_ascii_case(&self.host)
    }
}

/// A route of the server.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// `/`, `/?doc=N`: the page, showing the N-th document.
    Page(usize),
    /// `/events`: the event stream.
    Events,
    /// `/page/D/N.png`: page N (1-based) of the D-th document.
    Image(usize, usize),
    /// `/font/…`: the i-th of the page's faces ([`super::page::FACES`]).
    Font(usize),
}

/// The route of a request's target; `None` for anything else (a 404).
fn route(target: &str) -> Option<Route> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/" => {
            let doc = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("doc="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            Some(Route::Page(doc))
        }
        "/events" => Some(Route::Events),
        _ if path.starts_with("/font/") => {
            super::page::FACES.iter().position(|f| f.path == path).map(Route::Font)
        }
        _ => {
            let rest = path.strip_prefix("/page/")?.strip_suffix(".png")?;
            let (doc, page) = rest.split_once('/')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if !digits(doc) || !digits(page) {
                return None;
            }
            let page: usize = page.parse().ok()?;
            Some(Route::Image(doc.parse().ok()?, page.checked_sub(1)?))
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// Headers of every answer: no caching, no sniffing, no outside resources.
fn common(response: Response<std::io::Cursor<Vec<u8>>>) -> Response<std::io::Cursor<Vec<u8>>> {
    cached(response, "no-store")
}

/// [`common`]'s headers with another `Cache-Control`.
fn cached(
    response: Response<std::io::Cursor<Vec<u8>>>,
    cache: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    response
        .with_header(header("Cache-Control", cache))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; font-src 'self'; connect-src 'self'; \
             script-src 'unsafe-inline'; style-src 'unsafe-inline'",
        ))
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    common(Response::from_string(body).with_status_code(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn answer(request: Request, state: &Arc<State>, guard: &Guard, streams: &Arc<AtomicUsize>) {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
    if !guard.allows(host) {
        let _ = request.respond(text(
            403,
            "jianbao serve answers only requests for localhost or an IP address with its port\n",
        ));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "only GET\n"));
        return;
    }
    let response = match route(request.url()) {
        None => text(404, "not found\n"),
        Some(Route::Page(doc)) => {
            let page = super::page::html(&state.snapshot(), doc);
            common(Response::from_data(page.into_bytes()))
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
        }
        Some(Route::Image(doc, page)) => {
            let image =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.image(doc, page)));
            match image {
                Ok(Some(png)) => common(Response::from_data(png.to_vec()))
                    .with_header(header("Content-Type", "image/png")),
                Ok(None) => text(404, "no such page\n"),
                Err(_) => text(500, "the page could not be drawn (a bug in jianbao)\n"),
            }
        }
        // The bytes are compiled in and the page names them with the fonts' digest
        // (`?v=`), so a browser may keep them for good.
        Some(Route::Font(i)) => cached(
            Response::from_data(super::page::FACES[i].bytes().to_vec()),
            "public, max-age=31536000, immutable",
        )
        .with_header(header("Content-Type", "font/otf")),
        Some(Route::Events) => {
            if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
                streams.fetch_sub(1, Ordering::SeqCst);
                text(503, "too many open pages\n")
            } else {
                stream(request, state.clone(), streams);
                return;
            }
        }
    };
    let _ = request.respond(response);
}

/// Answers `/events`: a server-sent event `building` when a build starts, and the
/// generation number (a plain message) when one is published, until the page goes.
/// The thread answering it is given back to the pool at once.
fn stream(request: Request, state: Arc<State>, streams: &Arc<AtomicUsize>) {
    let first = state.now();
    let mut writer = request.into_writer();
    let counter = streams.clone();
    let spawned = std::thread::Builder::new().name("jianbao-events".into()).spawn(move || {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        let mut seen = first;
        let mut opening = format!("retry: 500\ndata: {}\n\n", seen.0);
        if seen.1 {
            opening.push_str("event: building\ndata: \n\n");
        }
        let mut message = format!("{head}{opening}");
        // Until the page goes (a write fails).
        while writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_ok() {
            let now = state.wait(seen, KEEP_ALIVE);
            message = if now == seen {
                ": idle\n\n".to_string()
            } else if now.0 != seen.0 {
                format!("data: {}\n\n", now.0)
            } else {
                "event: building\ndata: \n\n".to_string()
            };
            seen = now;
        }
        counter.fetch_sub(1, Ordering::SeqCst);
    });
    if spawned.is_err() {
        streams.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_exact() {
        assert_eq!(route("/"), Some(Route::Page(0)));
        assert_eq!(route("/?doc=3"), Some(Route::Page(3)));
        assert_eq!(route("/events"), Some(Route::Events));
        assert_eq!(route("/page/2/1.png?v=abc"), Some(Route::Image(2, 0)));
        assert_eq!(route("/font/hei.otf"), Some(Route::Font(0)));
        assert_eq!(route("/font/hei.otf?v=0123abcd"), Some(Route::Font(0)));
        assert_eq!(route("/font/hei-fallback.otf"), Some(Route::Font(1)));
        for other in [
            "/../",
            "/..%2f",
            "/page/0/0.png",
            "/page/../1.png",
            "/page/0/../../etc/passwd.png",
            "/page/+1/1.png",
            "/index.html",
            "/seeds/manifest.yaml",
            "//etc/passwd",
            "http://evil.example/",
            "/font/",
            "/font",
            "/font/hei",
            "/font/hei.otf/",
            "/font/HEI.otf",
            "/font/hei.ttf",
            "/font//hei.otf",
            "/font/./hei.otf",
            "/font/../font/hei.otf",
            "/font/hei.otf%00",
            "/font/FandolHei-Regular.otf",
            "/font/../../fonts/FandolHei-Regular.otf",
            "/fonts/hei.otf",
            "//font/hei.otf",
            "",
        ] {
            assert_eq!(route(other), None, "{other}");
        }
    }

    #[test]
    fn host_must_name_this_server() {
        let guard = Guard { host: "127.0.0.1".into(), port: 8000 };
        for ok in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "[::1]:8000"] {
            assert!(guard.allows(Some(ok)), "{ok}");
        }
        for bad in [
            None,
            Some("evil.example:8000"),
            Some("127.0.0.1:8001"),
            Some("127.0.0.1"),
            Some("localhost.evil.example:8000"),
            Some(""),
        ] {
            assert!(!guard.allows(bad), "{bad:?}");
        }
        let named = Guard { host: "preview.office.lan".into(), port: 80 };
        assert!(named.allows(Some("preview.office.lan")));
        assert!(named.allows(Some("preview.office.lan:80")));
        assert!(!named.allows(Some("other.lan")));
    }
}
