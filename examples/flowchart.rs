//! Laying out and drawing one flowchart in-process, beside `dot -Tsvg` on the same
//! graph (when Graphviz is installed), measured in the same run.
//!
//!     cargo run --release --example flowchart -- [CATALOGUE] [--runs N]
#![allow(clippy::disallowed_macros)]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use powerlist::render::{dot, svg};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut catalogue = String::from("catalogue");
    let mut runs: u32 = 200;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            other => catalogue = other.to_string(),
        }
    }
    let cat =
        powerlist::load::load_catalogue(std::path::Path::new(&catalogue)).expect("catalogue loads");
    // The largest flowchart of the catalogue: the hardest for both.
    let (file, power) = cat
        .powers()
        .max_by_key(|(f, p)| (p.steps().len(), std::cmp::Reverse(f.rel.clone())))
        .expect("a power");
    let dot_text = dot::render(power);

    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..runs * 10 {
        bytes += std::hint::black_box(svg::render(power)).len();
    }
    let ours = start.elapsed() / (runs * 10);
    println!(
        "flowchart {} ({}, {} steps): powerlist layout + SVG {:.1} µs per drawing ({} bytes)",
        power.code(),
        file.rel,
        power.steps().len(),
        micros(ours),
        bytes / (runs as usize * 10)
    );

    let dot_runs = runs.min(50);
    let mut total = Duration::ZERO;
    for _ in 0..dot_runs {
        let start = Instant::now();
        let Ok(mut child) = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        else {
            println!("dot -Tsvg: Graphviz is not installed; no comparison");
            return;
        };
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(dot_text.as_bytes()).expect("write to dot");
        }
        let out = child.wait_with_output().expect("dot runs");
        assert!(out.status.success(), "dot failed");
        total += start.elapsed();
    }
    let theirs = total / dot_runs;
    println!(
        "dot -Tsvg on the same graph: {:.1} µs per drawing ({dot_runs} runs, process start included)",
        micros(theirs)
    );
    println!(
        "ratio: powerlist is {:.0}x faster",
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
