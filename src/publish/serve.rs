//! `powerlist serve`: a live preview while writing (as `mdbook serve` and
//! `zola serve` give one). The site is built into a private temporary folder
//! and served on 127.0.0.1 only, to requests that name it (`Host`); the
//! catalogue is watched, an edited power is checked and redrawn at once, the
//! whole site is rebuilt behind it, and the open pages reload themselves.
//! While the catalogue has errors every page shows the diagnostics instead of
//! a stale site, never those of a non-public power. Drafts are previewed.
//!
//! Crates: `notify` watches the folder (inotify and its kin, no polling);
//! `ctrlc` stops it cleanly on Ctrl-C, SIGTERM and SIGHUP. The HTTP server is
//! our own few lines over `std::net` (mod `http`): one reader on this machine
//! needs no more, and it bounds what a request may cost (the limits below).

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::build::{self, Outcome};
use crate::config::Settings;
use crate::render::site::{escape_html, Theme};
use crate::report::{self, Format};
use http::Reply;

/// Connections served at once; more wait in the system's queue until one ends.
pub const MAX_CONNECTIONS: usize = 64;
/// The longest request line or header line, in bytes (longer: 414 or 431).
pub const MAX_HEADER_LINE: usize = 8 * 1024;
/// The largest request head, request line and headers together (larger: 431).
pub const MAX_HEAD: usize = 64 * 1024;
/// The most header fields in a request (more: 431).
pub const MAX_HEADERS: usize = 100;
/// How long a client may take to send its request head (longer: 408).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to read an answer (longer: the connection is dropped).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// What the pages show: the site, or the problems that stop it.
struct State {
    /// Bumped at every change; the pages wait for it to move.
    version: u64,
    /// Diagnostics by file (`""`: the whole catalogue's, from a full build).
    problems: BTreeMap<String, String>,
}

struct Shared {
    root: PathBuf,
    /// What full builds read the catalogue through: a link to it in the
    /// preview folder (on Unix), so that removing the link stops a running
    /// build at its next file.
    source: PathBuf,
    /// The private preview folder, and the site in it.
    folder: PathBuf,
    site: PathBuf,
    state: Mutex<State>,
    moved: Condvar,
    stop: Arc<AtomicBool>,
    /// A full build is running / another one is wanted after it.
    building: AtomicBool,
    pending: AtomicBool,
    /// Files redrawn since the running full build started (redrawn again
    /// after it, which read them before their change).
    since: Mutex<Vec<PathBuf>>,
    /// Absolute paths and what pages say instead, longest first.
    scrubbed: Vec<(String, &'static str)>,
}

/// The absolute forms of the catalogue's and the preview folder's paths, and
/// what pages say instead, longest first.
fn scrubbed(paths: &[(&Path, &'static str)]) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for &(path, name) in paths {
        let forms = [
            std::path::absolute(path).ok(),
            std::fs::canonicalize(path).ok(),
        ];
        for p in forms.into_iter().flatten() {
            let p = p.to_string_lossy().trim_end_matches('/').to_string();
            if p.is_empty() {
                continue;
            }
            if name == "." {
                out.push((format!("{p}/"), ""));
            }
            out.push((p, name));
        }
    }
    out.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    out.dedup();
    out
}

type Log = dyn Fn(&str) + Send + Sync;

impl Shared {
    fn new(root: &Path, folder: PathBuf, stop: Arc<AtomicBool>) -> anyhow::Result<Shared> {
        let source = source_link(root, &folder)?;
        Ok(Shared {
            root: root.to_path_buf(),
            site: folder.join("site"),
            scrubbed: scrubbed(&[(root, "."), (&source, "."), (&folder, "（预览目录）")]),
            source,
            folder,
            state: Mutex::new(State {
                version: 0,
                problems: BTreeMap::new(),
            }),
            moved: Condvar::new(),
            stop,
            building: AtomicBool::new(false),
            pending: AtomicBool::new(false),
            since: Mutex::new(Vec::new()),
        })
    }

    fn update(&self, change: impl FnOnce(&mut BTreeMap<String, String>)) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut s.problems);
        s.version += 1;
        self.moved.notify_all();
    }

    /// `text` without the absolute paths of the catalogue and the preview
    /// folder: pages name files by their paths inside the catalogue.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (from, to) in &self.scrubbed {
            text = text.replace(from.as_str(), to);
        }
        text
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Stops for good: a running full build fails at its next file (the link
    /// it reads through is gone) and is waited for, so that nothing writes
    /// into the preview folder any more.
    fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        if self.source != self.root {
            let _ = std::fs::remove_file(&self.source);
        }
        // Wake the pages that wait, so that their threads end.
        self.update(|_| {});
        while self.building.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Marks a full build as running until dropped (also when it panics).
struct Building<'a>(&'a AtomicBool);

impl Drop for Building<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// A fresh folder of an unguessable name that did not exist before, readable
/// by this user only (no other local user can plant or read anything in it).
fn preview_folder() -> anyhow::Result<PathBuf> {
    let mut b = tempfile::Builder::new();
    b.prefix("powerlist-serve-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        b.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = b
        .tempdir()
        .with_context(|| format!("无法在 {} 中创建预览目录", std::env::temp_dir().display()))?;
    Ok(dir.keep())
}

/// The link full builds read the catalogue through (the catalogue itself
/// where links cannot be made).
fn source_link(root: &Path, folder: &Path) -> anyhow::Result<PathBuf> {
    #[cfg(unix)]
    {
        let target = std::fs::canonicalize(root)
            .with_context(|| format!("无法读取目录 {}", root.display()))?;
        let link = folder.join("catalogue");
        std::os::unix::fs::symlink(target, &link)
            .with_context(|| format!("无法创建 {}", link.display()))?;
        Ok(link)
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(root.to_path_buf())
    }
}

/// Why the main thread wakes: a signal, or the first build is done.
enum Wake {
    Stop,
    Built,
}

/// Serves `root` on 127.0.0.1:`port` (0: any free port) until Ctrl-C,
/// SIGTERM or SIGHUP, then removes the preview folder. `ready` gets the
/// address once the first build is served; `log` gets a line per rebuild.
pub fn serve(root: &Path, port: u16, ready: &dyn Fn(&str), log: Arc<Log>) -> anyhow::Result<()> {
    if !root.is_dir() {
        anyhow::bail!("{} 不是目录 (catalogue must be a folder)", root.display());
    }
    // The handler comes first: a signal at any later instant is answered.
    let stop = Arc::new(AtomicBool::new(false));
    let (wake, woken) = mpsc::channel();
    {
        let (stop, wake) = (Arc::clone(&stop), wake.clone());
        ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            let _ = wake.send(Wake::Stop);
        })
        .context("无法接管 Ctrl-C")?;
    }
    let folder = preview_folder()?;
    let result = Shared::new(root, folder.clone(), stop).and_then(|shared| {
        let shared = Arc::new(shared);
        let result = run(&shared, port, ready, log, (wake, woken));
        shared.halt();
        result
    });
    std::fs::remove_dir_all(&folder)
        .with_context(|| format!("无法删除预览目录 {}", folder.display()))?;
    result
}

fn run(
    shared: &Arc<Shared>,
    port: u16,
    ready: &dyn Fn(&str),
    log: Arc<Log>,
    (wake, woken): (mpsc::Sender<Wake>, mpsc::Receiver<Wake>),
) -> anyhow::Result<()> {
    // The first build runs beside, so that a signal during it is answered at once.
    shared.building.store(true, Ordering::SeqCst);
    let first = {
        let (shared, log) = (Arc::clone(shared), Arc::clone(&log));
        spawn("powerlist-build", move || {
            let _building = Building(&shared.building);
            full_build(&shared, &*log);
            let _ = wake.send(Wake::Built);
        })
    };
    if let Err(e) = first {
        shared.building.store(false, Ordering::SeqCst);
        return Err(e);
    }
    if !matches!(woken.recv(), Ok(Wake::Built)) || shared.stopping() {
        return Ok(());
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("无法在 127.0.0.1:{port} 上启动预览"))?;
    let addr = listener.local_addr().context("预览服务没有地址")?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("无法监视职权目录")?;
    notify::Watcher::watch(&mut watcher, &shared.root, notify::RecursiveMode::Recursive)
        .with_context(|| format!("无法监视 {}", shared.root.display()))?;
    {
        let (shared, log) = (Arc::clone(shared), Arc::clone(&log));
        spawn("powerlist-accept", move || {
            accept_loop(&shared, &listener, addr.port(), &*log);
        })?;
    }
    let worker = {
        let (shared, log) = (Arc::clone(shared), Arc::clone(&log));
        spawn("powerlist-watch", move || watch(&shared, &rx, log))
    };
    let worker = match worker {
        Ok(w) => w,
        Err(e) => {
            shared.stop.store(true, Ordering::SeqCst);
            wake_accept(addr);
            return Err(e);
        }
    };
    ready(&format!("http://{addr}/"));
    while let Ok(Wake::Built) = woken.recv() {}
    shared.stop.store(true, Ordering::SeqCst);
    wake_accept(addr);
    drop(watcher);
    let _ = worker.join();
    Ok(())
}

/// A named thread; failing to start one is an error, never a panic.
fn spawn(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .with_context(|| format!("无法启动线程 {name}"))
}

/// Wakes the accept loop, blocked in `accept`, so that it sees the stop. If
/// even that connection cannot be made, the loop ends with the process.
fn wake_accept(addr: SocketAddr) {
    let _ = TcpStream::connect_timeout(&addr, Duration::from_millis(200));
}

/// The connections being served, at most `MAX_CONNECTIONS`.
#[derive(Default)]
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    /// Waits for a free slot and takes it; `false` once the preview stops.
    fn take(&self, shared: &Shared) -> bool {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= MAX_CONNECTIONS {
            if shared.stopping() {
                return false;
            }
            used = self
                .freed
                .wait_timeout(used, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *used += 1;
        !shared.stopping()
    }

    fn give(&self) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(1);
        self.freed.notify_one();
    }
}

/// Gives its slot back when the connection's thread ends (also on a panic).
struct Slot(Arc<Slots>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.give();
    }
}

/// Accepts connections, each served on its own thread, at most
/// `MAX_CONNECTIONS` at once: the others wait in the system's queue and use
/// no descriptor of ours. Running out of descriptors or threads is waited
/// out (10 ms, doubling to 1 s), never the end of the loop.
fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener, port: u16, log: &Log) {
    let slots = Arc::new(Slots::default());
    let mut backoff = Duration::ZERO;
    while slots.take(shared) {
        let failed = match listener.accept() {
            Ok((stream, _)) => {
                let (shared, slot) = (Arc::clone(shared), Slot(Arc::clone(&slots)));
                std::thread::Builder::new()
                    .name("powerlist-serve".into())
                    .spawn(move || {
                        let _slot = slot;
                        connection(&shared, stream, port);
                    })
                    // The closure, its slot and its stream are dropped: closed, given back.
                    .err()
            }
            Err(e) => {
                slots.give();
                match e.kind() {
                    std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::Interrupted => None,
                    _ => Some(e),
                }
            }
        };
        match failed {
            None => backoff = Duration::ZERO,
            Some(e) => {
                if backoff.is_zero() && !shared.stopping() {
                    log(&format!("预览服务暂时无法接受连接，稍后重试：{e}"));
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                std::thread::sleep(backoff);
            }
        }
    }
}

/// Marks the preview site as one a build may replace. Everything in the
/// private preview folder is ours, including what a quick redraw wrote before
/// any full build succeeded (or while one swapped the site in).
fn mark(site: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(site).with_context(|| format!("无法创建 {}", site.display()))?;
    let marker = site.join(super::staging::MARKER);
    if !marker.is_file() {
        std::fs::write(
            &marker,
            "This folder is the preview of `powerlist serve`, which replaces it whole.\n",
        )
        .with_context(|| format!("无法写入 {}", marker.display()))?;
    }
    Ok(())
}

/// The whole site, built into the preview folder; the problems if it cannot
/// be, on every page: the catalogue's errors, or why it could not be built
/// (broken settings or templates).
fn full_build(shared: &Shared, log: &Log) {
    let built = Settings::load(&shared.source).and_then(|settings| {
        mark(&shared.site)?;
        build::preview(&shared.source, &settings, &shared.site)
    });
    match built {
        Ok(Outcome::Built(prepared, built)) => {
            log(&format!("已生成预览：{} 项职权", built.public));
            // Previewed all the same; the list is the one `build` refuses with.
            let held = prepared.ungated();
            if !held.is_empty() {
                let text = super::gate::summary(&held, &|f| f.to_string(), &|l| l.to_string());
                for (i, line) in text.lines().enumerate() {
                    if i == 0 {
                        log(&format!("预览照常显示，但 build 将拒绝：{line}"));
                    } else {
                        log(line);
                    }
                }
            }
            shared.update(BTreeMap::clear);
        }
        Ok(Outcome::Refused(prepared)) => {
            let (text, withheld) = diagnostics(&prepared.diags, &prepared.cat);
            let text = shared.scrub(&text);
            log(&format!(
                "职权目录有 {} 个错误，预览显示诊断",
                prepared.errors()
            ));
            if let Some(line) = withheld_line(&withheld) {
                log(&line);
            }
            shared.update(|p| {
                p.clear();
                p.insert(String::new(), text);
            });
        }
        // Stopping: the build failed because its link is gone.
        Err(_) if shared.stopping() => {}
        Err(e) => {
            let text = format!("无法生成预览：{e:#}");
            // The terminal names the catalogue as it was given, not the link.
            let source = shared.source.to_string_lossy();
            // As given, without a trailing separator (`/tmp/cat/` would give `//`).
            let root: PathBuf = shared.root.components().collect();
            log(&text.replace(source.as_ref(), &root.to_string_lossy()));
            let text = shared.scrub(&text);
            shared.update(|p| {
                p.insert(String::new(), text);
            });
        }
    }
}

/// Whether a file's errors may be shown with its lines: only a file that reads
/// as public. One that mentions `public` other than as `public: true`, names a
/// `ground` or `reason` for withholding, or could not be read, is withheld:
/// the problems page never shows what the site never publishes.
fn reads_public(text: &str) -> bool {
    if text.trim().is_empty() {
        return false;
    }
    let withholds = text.lines().any(|line| {
        let code = line.split_once('#').map_or(line, |(code, _)| code);
        let code = code.trim().trim_start_matches("- ").trim().to_lowercase();
        (code.contains("public") && code != "public: true")
            || code.contains("ground")
            || code.contains("reason")
    });
    if withholds {
        return false;
    }
    // Only an escape in a quoted key can spell `public` without the word:
    // then the YAML decides (reading every file twice would slow a large list).
    if !text.contains('\\') {
        return true;
    }
    /// What a file says of its disclosure, whatever else is wrong with it.
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default)]
        disclosure: Option<serde_json::Value>,
    }
    match serde_saphyr::from_str::<Probe>(text) {
        Ok(Probe { disclosure: None }) => true,
        Ok(Probe {
            disclosure: Some(serde_json::Value::Object(d)),
        }) => {
            d.get("public")
                .is_none_or(|p| p == &serde_json::Value::Bool(true))
                && !d.contains_key("ground")
                && !d.contains_key("reason")
        }
        Ok(Probe {
            disclosure: Some(serde_json::Value::Null),
        }) => true,
        Ok(_) => false,
        // Broken YAML: what its lines say decides.
        Err(_) => true,
    }
}

/// The errors (warnings do not stop the preview), as `check` shows them, by
/// their paths inside the catalogue; a file that does not read as public is
/// only counted, neither named nor quoted. Returns the page's text and the
/// withheld files (for the terminal).
fn diagnostics(
    diags: &[crate::diag::Diagnostic],
    cat: &crate::load::Catalogue,
) -> (String, Vec<String>) {
    let errors: Vec<&crate::diag::Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    let mut public: BTreeMap<&str, bool> = BTreeMap::new();
    for d in diags {
        public.entry(d.file.as_str()).or_insert_with(|| {
            // The catalogue's files are sorted by their paths.
            let at = cat.files.binary_search_by(|f| f.rel.as_str().cmp(&d.file));
            reads_public(at.map_or("", |i| cat.files[i].text.as_str()))
        });
    }
    let withheld: Vec<String> = public
        .iter()
        .filter(|(_, public)| !**public)
        .map(|(f, _)| f.to_string())
        .collect();
    // Warnings too, so that the page counts what `check` counts.
    let shown: Vec<crate::diag::Diagnostic> = diags
        .iter()
        .filter(|d| public.get(d.file.as_str()) == Some(&true))
        .map(|d| {
            let mut d = d.clone();
            // Another file's name in a message (a duplicate code) is withheld too.
            for w in &withheld {
                d.message = d.message.replace(w.as_str(), "（不公开的文件）");
            }
            d
        })
        .collect();
    let mut out = Vec::new();
    if !shown.is_empty() {
        let _ = report::write(
            &mut out,
            Format::Human,
            &shown,
            cat,
            "",
            report::Style::PLAIN,
        );
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !withheld.is_empty() {
        let n = errors
            .iter()
            .filter(|d| public.get(d.file.as_str()) != Some(&true))
            .count();
        text.push_str(&format!(
            "另有 {} 个不公开（或看不出是否公开）的职权文件共 {n} 个错误：预览页不显示其文件名和内容，请看终端，或运行 powerlist check。\n",
            withheld.len()
        ));
    }
    (text, withheld)
}

/// The log line naming the withheld files (the terminal is the officer's own).
fn withheld_line(withheld: &[String]) -> Option<String> {
    (!withheld.is_empty()).then(|| {
        format!(
            "不公开的文件有错误（预览页不显示）：{}",
            withheld.join("、")
        )
    })
}

/// Runs a full build in the background, or asks for one more after the
/// running one.
fn request_full(shared: &Arc<Shared>, log: &Arc<Log>) {
    shared.pending.store(true, Ordering::SeqCst);
    if shared.building.swap(true, Ordering::SeqCst) {
        return;
    }
    let spawned = spawn("powerlist-build", {
        let (shared, log) = (Arc::clone(shared), Arc::clone(log));
        move || loop {
            {
                let _building = Building(&shared.building);
                while shared.pending.swap(false, Ordering::SeqCst) && !shared.stopping() {
                    full_build_again(&shared, &*log);
                }
            }
            // A request made between the last look and the end is not lost.
            if shared.stopping()
                || !shared.pending.load(Ordering::SeqCst)
                || shared.building.swap(true, Ordering::SeqCst)
            {
                break;
            }
        }
    });
    if let Err(e) = spawned {
        shared.building.store(false, Ordering::SeqCst);
        log(&format!("无法开始重新生成预览：{e}"));
    }
}

/// A full build, then the files changed while it ran redrawn again (it read
/// them before their change).
fn full_build_again(shared: &Shared, log: &Log) {
    shared
        .since
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    full_build(shared, log);
    let again: Vec<PathBuf> =
        std::mem::take(&mut *shared.since.lock().unwrap_or_else(|e| e.into_inner()));
    if again.is_empty() || shared.stopping() {
        return;
    }
    if let (Ok(settings), Ok(theme)) = (Settings::load(&shared.root), Theme::load(&shared.root)) {
        for path in again {
            redraw(shared, &settings, &theme, &path, log);
        }
    }
}

/// What an event asks for: redraw these power files, read the settings and
/// templates again, and/or a full build.
#[derive(Default)]
struct Wanted {
    redraw: Vec<PathBuf>,
    reload: bool,
    full: bool,
}

/// The preview folder's place in the catalogue, when the temporary folder
/// lies inside it: its events are the preview's own writes.
fn inner_folder(root: &Path, folder: &Path) -> Option<PathBuf> {
    let (root, folder) = (
        std::fs::canonicalize(root).ok()?,
        std::fs::canonicalize(folder).ok()?,
    );
    folder.strip_prefix(root).ok().map(Path::to_path_buf)
}

fn classify(root: &Path, own: Option<&Path>, paths: Vec<PathBuf>) -> Wanted {
    let mut w = Wanted::default();
    for p in paths {
        let Ok(rel) = p.strip_prefix(root) else {
            continue;
        };
        if own.is_some_and(|own| rel.starts_with(own)) {
            continue;
        }
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy());
        let yaml = p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        w.full = true;
        match first.as_deref() {
            Some("templates" | "procedures") => w.reload = true,
            _ if yaml && p.is_file() => {
                if !w.redraw.contains(&p) {
                    w.redraw.push(p);
                }
            }
            _ if yaml => {}
            // powerlist.toml, laws.toml, a calendar, law texts: whatever the
            // settings read.
            _ => w.reload = true,
        }
    }
    w
}

/// The watcher's loop: gather a burst of events, redraw the edited powers at
/// once, then rebuild the whole site behind them.
fn watch(shared: &Arc<Shared>, rx: &mpsc::Receiver<notify::Result<notify::Event>>, log: Arc<Log>) {
    let mut settings = Settings::load(&shared.root).ok();
    let mut theme = Theme::load(&shared.root).ok();
    let own = inner_folder(&shared.root, &shared.folder);
    while !shared.stopping() {
        let Ok(first) = rx.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        // Reading a file is an event too (the full build reads them all):
        // only writes, creations and removals count.
        let counts = |e: &notify::Result<notify::Event>| {
            e.as_ref()
                .is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        };
        if !counts(&first) {
            continue;
        }
        let mut events = vec![first];
        // An editor saves in several steps: take what follows within 20 ms
        // (at most 100 ms in all).
        let burst = std::time::Instant::now();
        let mut last = burst;
        let quiet = Duration::from_millis(20);
        while burst.elapsed() < Duration::from_millis(100) && last.elapsed() < quiet {
            match rx.recv_timeout(quiet.saturating_sub(last.elapsed())) {
                Ok(e) if counts(&e) => {
                    events.push(e);
                    last = std::time::Instant::now();
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        let paths: Vec<PathBuf> = events.into_iter().flatten().flat_map(|e| e.paths).collect();
        let wanted = classify(&shared.root, own.as_deref(), paths);
        if wanted.redraw.is_empty() && !wanted.full {
            continue;
        }
        // Settings or templates changed, or could not be read last time: read
        // them again (the full build shows why they cannot be).
        if wanted.reload || settings.is_none() || theme.is_none() {
            settings = Settings::load(&shared.root).ok();
            theme = Theme::load(&shared.root).ok();
        }
        if let (Some(s), Some(t)) = (&settings, &theme) {
            for path in &wanted.redraw {
                redraw(shared, s, t, path, &*log);
                shared
                    .since
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(path.clone());
            }
        }
        if wanted.full {
            request_full(shared, &log);
        }
    }
}

/// Whether `check` reads `path`: every link on the way from the catalogue to
/// it stays inside the catalogue once resolved (the rule of `find_yaml_files`).
fn inside(root: &Path, path: &Path) -> bool {
    let (Ok(real_root), Ok(rel)) = (std::fs::canonicalize(root), path.strip_prefix(root)) else {
        return false;
    };
    let mut at = root.to_path_buf();
    for c in rel.components() {
        let std::path::Component::Normal(name) = c else {
            return false;
        };
        at.push(name);
        let link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
        if link && !std::fs::canonicalize(&at).is_ok_and(|t| t.starts_with(&real_root)) {
            return false;
        }
    }
    true
}

/// Checks one edited power and redraws its page and chart, or shows its errors.
fn redraw(shared: &Shared, settings: &Settings, theme: &Theme, path: &Path, log: &Log) {
    let rel = crate::load::rel_of(&shared.root, path);
    if !inside(&shared.root, path) {
        // Not part of the catalogue: nothing of it is read or shown.
        log(&format!("{rel} 指向职权目录以外，不预览"));
        return;
    }
    match crate::check::check_one(&shared.root, path, settings) {
        Ok((cat, diags, power)) => {
            let errors = diags
                .iter()
                .any(|d| d.severity == crate::diag::Severity::Error);
            if let (false, Some(mut p)) = (errors, power) {
                if let Err(e) = build::redraw(&shared.site, theme, settings, &mut p) {
                    log(&format!("{rel}：无法重绘：{e:#}"));
                }
                log(&format!("已更新 {rel}"));
                shared.update(|problems| {
                    problems.remove(&rel);
                });
            } else {
                let (text, withheld) = diagnostics(&diags, &cat);
                let text = shared.scrub(&text);
                log(&format!("{rel} 有错误，预览显示诊断"));
                if let Some(line) = withheld_line(&withheld) {
                    log(&line);
                }
                shared.update(|problems| {
                    problems.insert(rel, text);
                });
            }
        }
        Err(e) => log(&format!("{rel}：{e:#}")),
    }
}

/// The script every served page carries: it waits for the next change and
/// reloads the page.
fn reload_script(version: u64) -> String {
    format!(
        "<script>(function(){{var v={version};function w(){{fetch('/__powerlist/wait?v='+v).then(function(r){{return r.text()}}).then(function(t){{if(t!==String(v)){{location.reload()}}else{{w()}}}}).catch(function(){{setTimeout(w,1000)}})}}w()}})();</script>"
    )
}

/// Whether a request names this preview: exactly one `Host`, one of the
/// loopback names with our port. Any other name is a page elsewhere that
/// rebound its own name to 127.0.0.1 (DNS rebinding).
fn host_allowed(hosts: &[&str], port: u16) -> bool {
    let [host] = hosts else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// Whether the browser says the request comes from the preview itself or from
/// the officer (typed, bookmarked): another site's page that includes
/// `search-data.js` as a script, or frames a page, is refused.
fn fetch_site_allowed(values: &[&str]) -> bool {
    values.iter().all(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "same-origin" | "none"
        )
    })
}

/// The refusal of a request that does not name this preview: no catalogue data.
fn refusal(status: u16) -> Reply {
    let text = match status {
        421 => "此预览只接受发往 127.0.0.1、localhost 或 [::1] 本机地址的请求 (wrong Host)\n",
        _ => "此预览不接受来自其他网站的请求 (cross-site request refused)\n",
    };
    Reply::text(status, text)
}

/// Serves one connection: one request within the limits, one answer, closed.
fn connection(shared: &Shared, mut stream: TcpStream, port: u16) {
    let head = match http::read_head(&mut stream, Instant::now() + HEAD_TIMEOUT) {
        Ok(head) => head,
        Err(Some(status)) => return http::refuse(&mut stream, status),
        Err(None) => return,
    };
    let reply = answer(shared, &head, port);
    let deadline = Instant::now() + ANSWER_TIMEOUT;
    let _ = http::send(&mut stream, reply, head.method == "HEAD", deadline);
}

fn answer(shared: &Shared, head: &http::Head, port: u16) -> Reply {
    if !host_allowed(&head.values("host"), port) {
        return refusal(421);
    }
    if !fetch_site_allowed(&head.values("sec-fetch-site")) {
        return refusal(403);
    }
    if !matches!(head.method.as_str(), "GET" | "HEAD") {
        return Reply::text(405, "预览只接受 GET 和 HEAD 请求 (method not allowed)\n");
    }
    let (path, query) = head.target.split_once('?').unwrap_or((&head.target, ""));
    if !path.starts_with('/') {
        return Reply::text(400, "请求的地址应以 / 开头 (bad request target)\n");
    }
    if path == "/__powerlist/wait" {
        let since: u64 = query
            .strip_prefix("v=")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        wait(shared, since)
    } else {
        page(shared, path)
    }
}

/// Answers when the version moves past `since` (or after 25 s).
fn wait(shared: &Shared, since: u64) -> Reply {
    let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let (state, _) = shared
        .moved
        .wait_timeout_while(state, Duration::from_secs(25), |s| {
            s.version == since && !shared.stopping()
        })
        .unwrap_or_else(|e| e.into_inner());
    Reply::text(200, &state.version.to_string())
}

/// A file of the preview site, the problems page, or 404.
fn page(shared: &Shared, path: &str) -> Reply {
    let decoded = percent_decode(path);
    let rel = match decoded.trim_start_matches('/') {
        "" => "index.html".to_string(),
        r if r.ends_with('/') => format!("{r}index.html"),
        r => r.to_string(),
    };
    // Only plain names inside the site: no `..`, no hidden files.
    if rel
        .split('/')
        .any(|s| s.is_empty() || s.starts_with('.') || s.contains(['\\', '\0', ':']))
    {
        return not_found();
    }
    let html = rel.ends_with(".html");
    let (version, problems) = {
        let s = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.version, s.problems.values().cloned().collect::<Vec<_>>())
    };
    if html && !problems.is_empty() {
        // The problems stand in for the site's pages, not for pages it never
        // had: an unknown address is still 404.
        let known = rel == "index.html"
            || shared.site.join(&rel).is_file()
            || (!shared.site.join("index.html").is_file() && site_page_shape(&rel));
        return problems_page(&problems, version, if known { 200 } else { 404 });
    }
    let Ok(file) = std::fs::File::open(shared.site.join(&rel)) else {
        return not_found();
    };
    let len = match file.metadata() {
        Ok(m) if m.is_file() => m.len(),
        _ => return not_found(),
    };
    Reply {
        status: 200,
        content_type: if html {
            "text/html; charset=utf-8"
        } else {
            content_type(&rel)
        },
        body: http::Body::File {
            file,
            len,
            script: html.then(|| reload_script(version)),
        },
    }
}

/// Whether `rel` has the shape of a page a site has (before the first build
/// has written any): the book, a power's or a group's page.
fn site_page_shape(rel: &str) -> bool {
    rel == "print.html"
        || ["powers/", "categories/", "departments/"]
            .iter()
            .any(|d| rel.strip_prefix(d).is_some_and(|n| !n.contains('/')))
}

fn problems_page(problems: &[String], version: u64, status: u16) -> Reply {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\" /><title>职权目录有错误 · powerlist 预览</title>\
         <style>body{{font:15px/1.6 sans-serif;margin:24px}}h1{{color:#9b1c1c;font-size:20px}}pre{{background:#f4f6f9;padding:12px;overflow-x:auto;white-space:pre-wrap}}</style></head>\
         <body><h1>职权目录有错误，预览暂停更新</h1><p>改正后保存文件，本页会自动刷新。</p><pre>{}</pre>{}</body></html>\n",
        escape_html(&problems.join("\n")),
        reload_script(version)
    );
    Reply::bytes(status, "text/html; charset=utf-8", body.into_bytes())
}

fn not_found() -> Reply {
    Reply::bytes(
        404,
        "text/html; charset=utf-8",
        "<!DOCTYPE html><meta charset=\"utf-8\" /><p>没有这个页面。<a href=\"/\">返回职权目录</a></p>\n"
            .as_bytes()
            .to_vec(),
    )
}

fn content_type(rel: &str) -> &'static str {
    match rel.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/plain; charset=utf-8",
    }
}

/// `%E6%B0%91` → 民; anything malformed is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A small HTTP/1.1 server for one reader on this machine: a request head is
/// read within the limits (`MAX_HEADER_LINE`, `MAX_HEAD`, `MAX_HEADERS`,
/// `HEAD_TIMEOUT`), one answer is written, and the connection is closed.
mod http {
    use std::io::{self, Read as _, Seek as _, Write as _};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    use super::{MAX_HEAD, MAX_HEADERS, MAX_HEADER_LINE};

    /// A request's head: its method, target and header fields (names in
    /// lower case).
    pub(super) struct Head {
        pub(super) method: String,
        pub(super) target: String,
        headers: Vec<(String, String)>,
    }

    impl Head {
        pub(super) fn values(&self, name: &str) -> Vec<&str> {
            self.headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        }
    }

    /// Reads a request head; never holds more than `MAX_HEAD` bytes and a
    /// read buffer. A refusal is the status that says why (`None`: the client
    /// went away, nothing to answer).
    pub(super) fn read_head(
        stream: &mut TcpStream,
        deadline: Instant,
    ) -> Result<Head, Option<u16>> {
        let mut buf: Vec<u8> = Vec::with_capacity(2048);
        let mut chunk = [0u8; 4096];
        // Where the line being read starts, and how far `\n` was looked for.
        let (mut line, mut scanned) = (0, 0);
        let too_long = |line: usize| Some(if line == 0 { 414 } else { 431 });
        loop {
            while let Some(i) = buf[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                // The line without its `\r\n` (or bare `\n`).
                let len = end - line - usize::from(end > line && buf[end - 1] == b'\r');
                if len > MAX_HEADER_LINE {
                    return Err(too_long(line));
                }
                scanned = end + 1;
                match (len, line) {
                    (0, 0) => return Err(Some(400)),
                    (0, _) if line > MAX_HEAD => return Err(Some(431)),
                    (0, _) => return parse(&buf[..line]).map_err(Some),
                    _ => line = scanned,
                }
            }
            scanned = buf.len();
            if buf.len() - line > MAX_HEADER_LINE + 1 {
                return Err(too_long(line));
            }
            if buf.len() > MAX_HEAD {
                return Err(Some(431));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
                return Err(Some(408));
            }
            let room = chunk.len().min(MAX_HEAD + 1 - buf.len());
            match stream.read(&mut chunk[..room]) {
                Ok(0) => return Err(None),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(Some(408));
                }
                Err(_) => return Err(None),
            }
        }
    }

    /// A token character of RFC 9110 (methods and field names).
    fn token(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
    }

    fn parse(head: &[u8]) -> Result<Head, u16> {
        let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let mut parts = lines.next().unwrap_or("").split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(400);
        };
        if !version.starts_with("HTTP/") {
            return Err(400);
        }
        if !matches!(version, "HTTP/1.0" | "HTTP/1.1") {
            return Err(505);
        }
        let bad_target = target.is_empty() || target.bytes().any(|b| b.is_ascii_control());
        if method.is_empty() || !method.bytes().all(token) || bad_target {
            return Err(400);
        }
        let mut headers = Vec::new();
        for line in lines.filter(|l| !l.is_empty()) {
            if headers.len() == MAX_HEADERS {
                return Err(431);
            }
            // A folded line (leading space) or `Name :` is no field name.
            let Some((name, value)) = line.split_once(':') else {
                return Err(400);
            };
            let value = value.trim_matches([' ', '\t']);
            let control = value.bytes().any(|b| b.is_ascii_control() && b != b'\t');
            if name.is_empty() || !name.bytes().all(token) || control {
                return Err(400);
            }
            headers.push((name.to_ascii_lowercase(), value.to_string()));
        }
        Ok(Head {
            method: method.to_string(),
            target: target.to_string(),
            headers,
        })
    }

    /// An answer: its status, type and body.
    pub(super) struct Reply {
        pub(super) status: u16,
        pub(super) content_type: &'static str,
        pub(super) body: Body,
    }

    pub(super) enum Body {
        Bytes(Vec<u8>),
        /// A file of the site, streamed; a page gets `script` before its `</body>`.
        File {
            file: std::fs::File,
            len: u64,
            script: Option<String>,
        },
    }

    impl Reply {
        pub(super) fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
            Reply {
                status,
                content_type,
                body: Body::Bytes(body),
            }
        }

        pub(super) fn text(status: u16, text: &str) -> Reply {
            Reply::bytes(
                status,
                "text/plain; charset=utf-8",
                text.as_bytes().to_vec(),
            )
        }
    }

    fn reason(status: u16) -> &'static str {
        match status {
            200 => "OK",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            414 => "URI Too Long",
            421 => "Misdirected Request",
            431 => "Request Header Fields Too Large",
            505 => "HTTP Version Not Supported",
            _ => "Error",
        }
    }

    /// Where a page's last `</body>` starts (its end when it has none).
    fn body_end(file: &mut std::fs::File, len: u64) -> io::Result<u64> {
        let from = len.saturating_sub(64 * 1024);
        file.seek(io::SeekFrom::Start(from))?;
        let mut tail = Vec::new();
        (&mut *file).take(len - from).read_to_end(&mut tail)?;
        file.seek(io::SeekFrom::Start(0))?;
        let at = tail.windows(7).rposition(|w| w == b"</body>");
        Ok(at.map_or(len, |i| from + i as u64))
    }

    /// Every answer forbids caching, sniffing, other sites' pages reading or
    /// framing it, and referrers.
    const HEADERS: &str = "Cache-Control: no-store\r\nConnection: close\r\n\
        X-Content-Type-Options: nosniff\r\nCross-Origin-Resource-Policy: same-origin\r\n\
        X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n";

    /// A connection written to until a deadline: a client that reads slowly
    /// cannot hold its slot for longer.
    struct Timed<'a> {
        stream: &'a mut TcpStream,
        deadline: Instant,
    }

    impl io::Write for Timed<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_write_timeout(Some(left))?;
            self.stream.write(buf)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.stream.flush()
        }
    }

    /// Writes `reply` (its head only, for HEAD) by `deadline`.
    pub(super) fn send(
        stream: &mut TcpStream,
        reply: Reply,
        head_only: bool,
        deadline: Instant,
    ) -> io::Result<()> {
        let mut out = io::BufWriter::new(Timed { stream, deadline });
        let Reply {
            status,
            content_type,
            body,
        } = reply;
        let len = match &body {
            Body::Bytes(b) => b.len() as u64,
            Body::File { len, script, .. } => len + script.as_ref().map_or(0, |s| s.len() as u64),
        };
        write!(
            out,
            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\n{HEADERS}\r\n",
            reason(status)
        )?;
        if !head_only {
            match body {
                Body::Bytes(b) => out.write_all(&b)?,
                Body::File {
                    mut file,
                    len,
                    script,
                } => {
                    let at = match script {
                        Some(_) => body_end(&mut file, len)?,
                        None => len,
                    };
                    io::copy(&mut (&mut file).take(at), &mut out)?;
                    if let Some(script) = script {
                        out.write_all(script.as_bytes())?;
                    }
                    io::copy(&mut file.take(len - at), &mut out)?;
                }
            }
        }
        out.flush()
    }

    /// Answers a request that cannot be served with `status`, then reads a
    /// little of what is still coming (a bounded time and amount) before
    /// closing, so that the client sees the answer rather than a reset.
    pub(super) fn refuse(stream: &mut TcpStream, status: u16) {
        let text = format!("{status} {}\n", reason(status));
        let deadline = Instant::now() + Duration::from_secs(5);
        if send(stream, Reply::text(status, &text), false, deadline).is_err() {
            return;
        }
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut sink = [0u8; 4096];
        for _ in 0..64 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
                break;
            }
            if !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_that_read_as_public_are_quoted() {
        assert!(reads_public(
            "code: A\nname: 甲\ndisclosure:\n  public: true\n"
        ));
        assert!(
            reads_public("code: A\nname： 甲\n"),
            "broken YAML that says nothing"
        );
        for secret in [
            "code: A\ndisclosure:\n  public: false\n",
            "code: A\ndisclosure: {public: false}\n",
            "code: A\ndisclosure:\n  public： false\n",
            "code: A\ndisclosure:\n  ground: 国家秘密\n",
            "code: A\ndisclosure:\n  reason: 涉密\n",
            "code: A\n\"disclosure\": {\"pub\\x6cic\": false}\n",
            "code: [A]\nsteps: 3\n\"disclosure\": {\"pub\\x6cic\": false}\n",
            "",
        ] {
            assert!(!reads_public(secret), "{secret:?}");
        }
    }

    #[test]
    fn paths_decode_and_classify() {
        assert_eq!(percent_decode("/a%E6%B0%91b"), "/a民b");
        assert_eq!(percent_decode("/a%zz%4"), "/a%zz%4");
        let root = Path::new("/cat");
        let w = classify(
            root,
            Some(Path::new("tmp/powerlist-serve-x")),
            vec![
                PathBuf::from("/cat/templates/power.html"),
                PathBuf::from("/cat/.git/x"),
                PathBuf::from("/cat/tmp/powerlist-serve-x/site/index.html"),
                PathBuf::from("/elsewhere/a.yaml"),
            ],
        );
        assert!(w.full && w.reload && w.redraw.is_empty());
        let w = classify(
            root,
            Some(Path::new("tmp/powerlist-serve-x")),
            vec![PathBuf::from("/cat/tmp/powerlist-serve-x/site/index.html")],
        );
        assert!(!w.full && !w.reload);
    }
}
