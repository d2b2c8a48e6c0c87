//! `powerlist serve` end to end: a real process on a free port, real HTTP,
//! an edit seen by the page, errors shown instead of the site, Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `GET path` on `addr`; the status line's code and the body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (code, body)
}

/// Polls `path` until its body contains `text`; how long that took.
fn until(addr: &str, path: &str, text: &str, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if get(addr, path).1.contains(text) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(cat: &Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_powerlist"))
        .args(["serve", cat.to_str().unwrap(), "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Served { child, addr }
}

#[test]
fn serve_shows_an_edit_and_stops_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    crate::build::copy_dir(&crate::build::shipped(), &cat);
    let mut served = start(&cat);
    let addr = served.addr.clone();
    // Bound to 127.0.0.1 only: another loopback address is refused.
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let port = addr.rsplit(':').next().unwrap();
    assert!(
        TcpStream::connect(format!("127.0.0.2:{port}")).is_err(),
        "reachable beyond 127.0.0.1"
    );

    let (code, page) = get(&addr, "/powers/MZ-XK-0001.html");
    assert_eq!(code, 200);
    assert!(page.contains("<h1>社会团体成立登记</h1>"));
    assert!(
        page.contains("/__powerlist/wait"),
        "the page reloads itself"
    );
    assert_eq!(get(&addr, "/../../etc/passwd").0, 404);

    // An edit is on the page within 2 s.
    let file = cat.join("minzheng/shetuan.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("name: 社会团体成立登记", "name: 社会团体成立登记（预览）"),
    )
    .unwrap();
    let took = until(
        &addr,
        "/powers/MZ-XK-0001.html",
        "<h1>社会团体成立登记（预览）</h1>",
        Duration::from_secs(2),
    );
    assert!(took.is_some(), "the edit did not show within 2 s");
    // The index follows once the site is rebuilt behind it.
    assert!(until(
        &addr,
        "/search-data.js",
        "社会团体成立登记（预览）",
        Duration::from_secs(10)
    )
    .is_some());

    // A broken file: every page shows the diagnostic instead of the site.
    std::fs::write(
        &file,
        text.replace("office: 社会组织管理股", "office： 社会组织管理股"),
    )
    .unwrap();
    assert!(until(
        &addr,
        "/index.html",
        "全角冒号「：」",
        Duration::from_secs(5)
    )
    .is_some());
    // Fixed: the site is back.
    std::fs::write(&file, &text).unwrap();
    assert!(until(
        &addr,
        "/powers/MZ-XK-0001.html",
        "<h1>社会团体成立登记</h1>",
        Duration::from_secs(5)
    )
    .is_some());

    // Ctrl-C: a clean stop, exit 0, the temporary site removed.
    let pid = served.child.id();
    let temp = std::env::temp_dir().join(format!("powerlist-serve-{pid}"));
    assert!(temp.is_dir());
    let ok = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = served.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!temp.exists(), "the temporary site is removed");
}
