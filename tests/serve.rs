//! `jianbao serve`: its guards over plain HTTP, a busy port, and the preview itself in
//! a real browser (Debian's Chromium driven through chromedriver's WebDriver API).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{TWO_COUNTIES, tempdir};

/// One HTTP/1.1 request; returns the status and the body. The body is read by its
/// length (chromedriver keeps connections open despite `Connection: close`).
fn http(port: u16, method: &str, target: &str, host: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    let (status, _, body) = exchange(port, method, target, host, body);
    (status, body)
}

/// [`http`], also returning the answer's head (status line and headers), lowercased.
fn exchange(
    port: u16,
    method: &str,
    target: &str,
    host: &str,
    body: Option<&Value>,
) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).expect("reads the answer") > 2 {
        head.push_str(&line.to_ascii_lowercase());
        line.clear();
    }
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|n| n.trim().parse::<usize>().expect("a length"));
    let mut body = Vec::new();
    if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body).expect("reads the body");
    } else if head.contains("transfer-encoding: chunked") {
        loop {
            line.clear();
            reader.read_line(&mut line).expect("a chunk size");
            let size = usize::from_str_radix(line.trim(), 16).expect("a chunk size");
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).expect("a chunk");
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut body).expect("reads the body");
    }
    (status, head, body)
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Polls `probe` until it gives a value, failing with `what` (and the last thing seen)
/// after `limit`.
fn until<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + limit;
    let mut last;
    loop {
        match probe() {
            Ok(value) => return value,
            Err(seen) => last = seen,
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}; last seen:\n{last}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed when the test ends, pass or fail.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `jianbao serve manifest.yaml --port 0` in `dir`; its port and its stderr lines, each
/// with the time it came.
struct Serve {
    _child: Killed,
    port: u16,
    lines: Arc<Mutex<Vec<(Instant, String)>>>,
}

fn serve(dir: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["serve", "manifest.yaml", "--port", "0", "-j", "2"])
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jianbao serve starts");
    let stderr = child.stderr.take().unwrap();
    let child = Killed(child);
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push((Instant::now(), line));
        }
    });
    let port = until("serve to print its address", Duration::from_secs(60), || {
        let lines = lines.lock().unwrap();
        let all: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        all.iter()
            .find_map(|l| l.split("at http://127.0.0.1:").nth(1))
            .and_then(|rest| rest.split('/').next()?.parse().ok())
            .ok_or_else(|| all.join("\n"))
    });
    Serve { _child: child, port, lines }
}

fn manifest_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let manifest = dir.path().join("manifest.yaml");
    std::fs::write(&manifest, TWO_COUNTIES).unwrap();
    (dir, manifest)
}

#[test]
fn serve_answers_only_its_routes_and_only_for_its_own_host() {
    let (dir, _) = manifest_dir();
    let server = serve(dir.path());
    let port = server.port;
    let me = format!("127.0.0.1:{port}");
    let (status, body) = http(port, "GET", "/", &me, None);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("manifest.yaml"));
    assert_eq!(http(port, "GET", "/", &format!("localhost:{port}"), None).0, 200);
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1.
    let (status, body) = http(port, "GET", "/", &format!("evil.example:{port}"), None);
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    assert_eq!(http(port, "GET", "/", "127.0.0.1:1", None).0, 403);
    for target in ["/../", "/../manifest.yaml", "/manifest.yaml", "/page/0/../../manifest.yaml"] {
        assert_eq!(http(port, "GET", target, &me, None).0, 404, "{target}");
    }
    assert_eq!(http(port, "POST", "/", &me, Some(&json!({}))).0, 405);

    // The page's face: the bundled bytes, as a font the browser may keep.
    let (status, head, body) = exchange(port, "GET", "/font/hei.otf?v=1", &me, None);
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("content-type: font/otf\r\n"), "{head}");
    assert!(head.contains("cache-control: public, max-age=31536000, immutable\r\n"), "{head}");
    let hei =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/FandolHei-Regular.otf"))
            .unwrap();
    assert!(body == hei, "/font/hei.otf is not FandolHei-Regular.otf ({} bytes)", body.len());
    assert_eq!(http(port, "GET", "/font/hei-fallback.otf", &me, None).0, 200);
    assert_eq!(http(port, "GET", "/font/hei.otf", &format!("evil.example:{port}"), None).0, 403);
    for target in ["/font/", "/font/FandolHei-Regular.otf", "/font/../fonts/FandolHei-Regular.otf"]
    {
        assert_eq!(http(port, "GET", target, &me, None).0, 404, "{target}");
    }
}

#[test]
fn serve_on_a_busy_port_says_so_and_fails() {
    let (dir, _) = manifest_dir();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["serve", "manifest.yaml", "--port", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}: the port is in use")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

/// chromedriver on a free port, killed at the end.
struct Driver {
    _child: Killed,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        let missing = "the browser test needs Chromium and chromedriver: install the Debian packages \
                       `chromium` and `chromium-driver` (apt-get install chromium chromium-driver; \
                       .ci/run installs them)";
        let chromium = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("{missing}: no chromium binary found"));
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{missing}: cannot run chromedriver ({e})"));
        let child = Killed(child);
        let host = format!("127.0.0.1:{port}");
        until("chromedriver to be ready", Duration::from_secs(30), || {
            TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
            let (_, body) = http(port, "GET", "/status", &host, None);
            let status: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
            if status["value"]["ready"] == true { Ok(()) } else { Err(status.to_string()) }
        });
        let profile = tempdir();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1200,1000",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }}});
        let (status, body) = http(port, "POST", "/session", &host, Some(&capabilities));
        let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(status, 200, "chromedriver could not start Chromium: {answer}");
        let session = answer["value"]["sessionId"].as_str().expect("a session id").to_string();
        Driver { _child: child, port, session, _profile: profile }
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Result<Value, String> {
        let host = format!("127.0.0.1:{}", self.port);
        let target = format!("/session/{}{path}", self.session);
        let (status, body) = http(self.port, method, &target, &host, Some(body));
        let answer: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if status == 200 { Ok(answer["value"].clone()) } else { Err(answer.to_string()) }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let host = format!("127.0.0.1:{}", self.port);
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), &host, None);
    }
}

/// What the browser shows: the page's text, the images' text and how many of them
/// loaded as pictures.
#[derive(Debug)]
struct Seen {
    text: String,
    alts: String,
    images: u64,
    loaded: u64,
    diagnostics: String,
}

const PROBE: &str = "const imgs = [...document.images];\
    const diag = document.getElementById('diagnostics');\
    return { text: document.body ? document.body.innerText : '',\
      alts: imgs.map(i => i.alt).join('\\n'),\
      images: imgs.length,\
      loaded: imgs.filter(i => i.complete && i.naturalWidth === 893).length,\
      diagnostics: diag ? diag.innerText : '' };";

/// The bundled face as the browser has it: the status of each face of its family (the
/// browser fetches one only when text on the page needs it), whether 河津 can be drawn
/// with it now, the body's font family, and whether 河津 drawn in it differs from 河津
/// drawn in the default font (tofu boxes on a machine without CJK fonts look alike).
const FONT_PROBE: &str = "const faces = [...document.fonts]\
      .filter(f => f.family.replace(/\"/g, '') === 'Jianbao Hei');\
    const draw = (font) => {\
      const c = document.createElement('canvas'); c.width = 200; c.height = 100;\
      const g = c.getContext('2d'); g.font = font; g.fillText('河津', 0, 80);\
      return c.toDataURL(); };\
    return { statuses: faces.map(f => f.status),\
      check: document.fonts.check('16px \"Jianbao Hei\"', '河津'),\
      family: getComputedStyle(document.body).fontFamily,\
      differs: draw('64px \"Jianbao Hei\"') !== draw('64px sans-serif') };";

fn look(driver: &Driver) -> Result<Seen, String> {
    let v = driver.call("POST", "/execute/sync", &json!({ "script": PROBE, "args": [] }))?;
    Ok(Seen {
        text: v["text"].as_str().unwrap_or_default().to_string(),
        alts: v["alts"].as_str().unwrap_or_default().to_string(),
        images: v["images"].as_u64().unwrap_or(0),
        loaded: v["loaded"].as_u64().unwrap_or(0),
        diagnostics: v["diagnostics"].as_str().unwrap_or_default().to_string(),
    })
}

/// Waits until the browser shows what `ok` wants; the page reloads by itself.
fn wait_for(driver: &Driver, what: &str, ok: impl Fn(&Seen) -> bool) -> Seen {
    until(what, Duration::from_secs(90), || {
        let seen = look(driver)?;
        if ok(&seen) { Ok(seen) } else { Err(format!("{seen:#?}")) }
    })
}

#[test]
fn serve_shows_the_preview_in_chromium_and_follows_edits() {
    let driver = Driver::start();
    let (dir, manifest) = manifest_dir();
    let server = serve(dir.path());
    let url = format!("http://127.0.0.1:{}/", server.port);
    driver.call("POST", "/url", &json!({ "url": url })).expect("Chromium opens the page");

    // The documents and the first one's pages, drawn as images.
    let seen = wait_for(&driver, "the documents and a page image", |s| {
        s.text.contains("盐湖区-第1期.pdf")
            && s.text.contains("永济市-第1期.pdf")
            && s.loaded >= 1
            && s.loaded == s.images
    });
    assert!(seen.text.contains("built"), "{seen:#?}");
    assert!(seen.alts.contains("盐湖区召开会议"), "{seen:#?}");
    assert!(seen.diagnostics.is_empty(), "{seen:#?}");

    // The page's own Chinese text is drawn with the bundled 黑体 the server sends, not
    // with whatever the machine has (tofu where it has no CJK font).
    let face = until("the page's face to load", Duration::from_secs(30), || {
        let v =
            driver.call("POST", "/execute/sync", &json!({ "script": FONT_PROBE, "args": [] }))?;
        let loaded = v["statuses"]
            .as_array()
            .is_some_and(|s| !s.is_empty() && s.iter().all(|s| s == "loaded"));
        if loaded && v["check"] == true { Ok(v) } else { Err(v.to_string()) }
    });
    assert!(
        face["family"].as_str().is_some_and(|f| f.starts_with("\"Jianbao Hei\"")),
        "the page's text is not set in the bundled face first: {face}"
    );
    assert!(
        face["differs"] == true,
        "河津 in the bundled face looks like the default font's: {face}"
    );

    // An edit on disk shows without reloading by hand.
    let edited = TWO_COUNTIES.replace("盐湖区召开会议", "盐湖区召开推进会");
    std::fs::write(&manifest, &edited).unwrap();
    let saved = Instant::now();
    let seen = wait_for(&driver, "the edited title", |s| {
        s.alts.contains("盐湖区召开推进会") && s.loaded >= 1 && s.loaded == s.images
    });
    let shown = Instant::now();
    assert!(!seen.alts.contains("盐湖区召开会议"), "{seen:#?}");
    // Reported, not asserted: how long after the rebuild's summary line the page showed it.
    let built = server
        .lines
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(at, l)| *at > saved && l.starts_with("built "))
        .map(|(at, _)| *at);
    if let Some(built) = built {
        eprintln!(
            "serve: rebuild summary → page showing the edit: {} ms",
            shown.saturating_duration_since(built).as_millis()
        );
    }

    // A broken manifest: the located error, and the last good pages stay.
    std::fs::write(
        &manifest,
        edited.replace("    body: 会议指出,全区", "    bodyy: 会议指出,全区"),
    )
    .unwrap();
    let seen = wait_for(&driver, "the located error", |s| s.diagnostics.contains("bodyy"));
    assert!(seen.diagnostics.contains("error: unknown field `bodyy` in an article"), "{seen:#?}");
    assert!(seen.diagnostics.contains("┌─ manifest.yaml:11:5"), "{seen:#?}");
    assert!(seen.diagnostics.contains("hint: did you mean `body`?"), "{seen:#?}");
    assert!(seen.loaded >= 1 && seen.alts.contains("盐湖区召开推进会"), "{seen:#?}");

    // Mended: the error goes and the pages are there.
    std::fs::write(&manifest, &edited).unwrap();
    let seen = wait_for(&driver, "the mended preview", |s| {
        s.diagnostics.is_empty() && s.loaded >= 1 && s.loaded == s.images
    });
    assert!(seen.alts.contains("盐湖区召开推进会"), "{seen:#?}");

    // The preview wrote nothing next to the manifest.
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["manifest.yaml"]);
}

/// The preview's sink as a library: it keeps each document's laid-out pages, keeps the
/// last good ones when a rebuild fails, and the same pages always draw the same PNG.
#[test]
fn the_preview_keeps_pages_and_draws_them_the_same_every_time() {
    use jianbao::executor::Threads;
    use jianbao::serve::{Preview, page};
    use jianbao::session::{BuildOptions, Changes, Session, Status};

    let (_dir, manifest) = manifest_dir();
    let mut session =
        Session::new(&manifest, BuildOptions { jobs: 2, ..BuildOptions::default() }).unwrap();
    let mut preview = Preview::default();
    let threads = Threads { jobs: 2 };
    let report = session.build(&mut preview, &threads, &|_| {}).unwrap();
    assert_eq!(report.count(Status::Built), 2, "{report:?}");
    let yanhu = preview.shown("盐湖区-第1期.pdf").expect("the pages are kept");
    let yongji = preview.shown("永济市-第1期.pdf").expect("the pages are kept");
    let png = page::png(&yanhu.document, 0).expect("page 1 draws");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(page::png(&yanhu.document, 0).unwrap(), png, "a second drawing differs");
    assert!(page::png(&yanhu.document, yanhu.document.pages().len()).is_none());

    // A manifest that does not load: the pages stay.
    let changed = Changes::paths([manifest.clone()]);
    std::fs::write(&manifest, TWO_COUNTIES.replace("body: 会议指出,全区", "bodyy: 会议指出,全区"))
        .unwrap();
    assert!(session.rebuild(&changed, &mut preview, &threads, &|_| {}).is_err());
    let kept = preview.shown("盐湖区-第1期.pdf").expect("the last good pages stay");
    assert_eq!(kept.hash, yanhu.hash);

    // One article changed: its document gets new pages, the other keeps its own.
    std::fs::write(&manifest, TWO_COUNTIES.replace("12个", "15个")).unwrap();
    let report = session.rebuild(&changed, &mut preview, &threads, &|_| {}).unwrap();
    assert_eq!((report.count(Status::Built), report.count(Status::Skipped)), (1, 1));
    let rebuilt = preview.shown("盐湖区-第1期.pdf").unwrap();
    assert_ne!(rebuilt.hash, yanhu.hash);
    assert_ne!(page::png(&rebuilt.document, 0).unwrap(), png);
    let same = preview.shown("永济市-第1期.pdf").unwrap();
    assert!(Arc::ptr_eq(&same.document, &yongji.document), "the unchanged document was redone");
}
