//! README's "run it" command: `tirkeu demo` starts on a fresh data directory, prints the URLs
//! and the demo accounts, and serves sample cases in every lifecycle state.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http_get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_demo_serves_every_state_and_prints_its_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--cases",
            "150",
            "--data-dir",
        ])
        .arg(dir.path().join("demo"))
        .env("TIRKEU_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Killed on every exit from the test, a failing one included.
    let mut child = KillOnDrop(child);
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let mut printed = Vec::new();
    let mut base = None;
    while started.elapsed() < Duration::from_mins(2) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(url) = line.trim().strip_prefix("API")
            && url.trim().starts_with("http://")
        {
            base = Some(url.trim().trim_end_matches("/api/v1/").to_owned());
        }
        // The last line of the banner.
        let done = line.starts_with("Open ");
        printed.push(line);
        if done {
            break;
        }
    }
    let text = printed.join("\n");
    let base = base.unwrap_or_else(|| panic!("no API URL printed:\n{text}"));
    for role in ["officer", "supervisor", "admin", "host"] {
        assert!(text.contains(role), "{role} missing:\n{text}");
    }
    assert!(text.contains("password") && text.contains("tka_"), "{text}");
    // The host's reminders have somewhere to go.
    assert!(text.contains("host@demo.tirkeu.test"), "{text}");
    assert!(text.contains("/api/openapi.json"));

    let stats = http_get(&base, "/api/v1/stats");
    assert!(stats.starts_with("HTTP/1.1 200"), "{stats}");
    for state in [
        "draft",
        "submitted",
        "in_review",
        "info_requested",
        "approved",
        "rejected",
        "ready_for_collection",
        "issued",
        "withdrawn",
        "abandoned",
        "expired",
        "revoked",
    ] {
        assert!(
            stats.contains(&format!("\"{state}\"")),
            "no {state} case in the demo: {stats}"
        );
    }
    assert!(http_get(&base, "/api/openapi.json").contains("\"openapi\""));
    // The printed web address serves the start page, not a JSON 404.
    assert!(text.contains(&format!("web           {base}/")), "{text}");
    let home = http_get(&base, "/en/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(
        home.contains("<html lang=\"en\">") && home.contains("/en/status"),
        "{home}"
    );
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
