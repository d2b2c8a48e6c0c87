//! Parsing alone, on a catalogue folder (issue 25): every `*.yaml` read, then
//! parsed on rayon by each loader path, best of 5 runs in seconds.
//!
//!     cargo run --release --example gen -- 10000 /tmp/cat10k
//!     cargo run --release --example parse_bench -- /tmp/cat10k
//!
//! `read` reads every file; `old` is serde-saphyr with spans
//! (`parse_power_serde`); `new` is the fast path over the scanner's events (or
//! granit-parser's) with serde-saphyr for what it hands back
//! (`parse_power_events`); `events` is granit-parser's events alone, the floor
//! of both before the scanner;
//! `scan` is the hand-written scanner alone (`load::scan`), 0 events for a
//! file it hands to granit-parser.
#![allow(clippy::disallowed_macros)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use powerlist::load::events::{count_events, count_scanned};
use powerlist::load::{parse_power_events, parse_power_serde};
use rayon::prelude::*;

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect()
}

/// The best of `runs` timings of `f`, in seconds, and what its last run returned.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut secs = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        secs = secs.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (secs, out.expect("at least one run"))
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_bench DIR");
        std::process::exit(2);
    };
    let paths = yaml_files(Path::new(&dir));
    let read = || -> Vec<String> {
        paths
            .par_iter()
            .map(|p| std::fs::read_to_string(p).unwrap_or_default())
            .collect()
    };
    let (read_s, texts) = best(5, read);
    let (old_s, old_ok) = best(5, || {
        texts
            .par_iter()
            .filter(|t| parse_power_serde(t).is_ok())
            .count()
    });
    let (new_s, new_ok) = best(5, || {
        texts
            .par_iter()
            .filter(|t| parse_power_events(t).is_ok())
            .count()
    });
    let (events_s, events) = best(5, || {
        texts
            .par_iter()
            .map(|t| count_events(t).unwrap_or(0))
            .sum::<usize>()
    });
    let (scan_s, (scanned, scan_events)) = best(5, || {
        texts
            .par_iter()
            .map(|t| count_scanned(t).map_or((0, 0), |n| (1, n)))
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!(
        "{} files ({} parse), {} events, {} threads",
        texts.len(),
        old_ok,
        events,
        rayon::current_num_threads()
    );
    assert_eq!(old_ok, new_ok, "the two paths disagree");
    println!("read only   {read_s:.3} s");
    println!("old path    {old_s:.3} s  (serde-saphyr with spans)");
    println!("new path    {new_s:.3} s  (scanner or granit-parser events, fast path)");
    println!("events only {events_s:.3} s  (granit-parser)");
    println!(
        "scan only   {scan_s:.3} s  (hand-written scanner: {scanned} files, {scan_events} events)"
    );
    println!(
        "new / events {:.2}x, old / new {:.2}x",
        new_s / events_s,
        old_s / new_s
    );
}
