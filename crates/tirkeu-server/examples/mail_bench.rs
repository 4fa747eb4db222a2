//! Messages rendered and written to the mail drop per second, against writing the same bytes
//! to files, in the same run (BENCHMARKS.md):
//! `cargo run --release -p tirkeu-server --example mail_bench -- [MESSAGES] [DIR]`.
//!
//! The measured path is what the worker does per message after reading the case: render the
//! subject, text and HTML in the recipient's language (`mail::render`), build the MIME message
//! and write it through the mail drop (temporary file, then rename). The baseline writes the
//! very bytes the mail drop wrote, one file each: plainly with `std::fs::write`, and durably
//! the way the mail drop writes (a temporary file, `fsync`, rename, `fsync` of the directory).
//! Rendering alone is timed too. Languages and kinds rotate over all four languages and every
//! kind.

use std::path::PathBuf;
use std::time::Instant;

use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_server::mail::{
    AnyTransport, MailConfig, MailFacts, MailKind, Outgoing, Transport, TransportConfig,
};

fn facts(i: usize) -> MailFacts {
    let lang = [Lang::Kk, Lang::Ru, Lang::En, Lang::Zh][i % 4];
    let kind = MailKind::ALL[i % MailKind::ALL.len()];
    let mut f = MailFacts::new(lang, kind);
    let now = jiff::Timestamp::from_second(1_796_000_000).expect("an instant");
    f.case_number = Some(CaseNumber::generate());
    f.permit_type = Some("work".into());
    f.reason = Some("missing_document".into());
    f.respond_by = Some(now);
    f.collection_at = Some(now);
    f.collection_place = Some("Almaty, window 4".into());
    f.office = Some("almaty".into());
    f.valid_until = Some(jiff::civil::date(2027, 12, 14));
    f.days_left = Some(30);
    f.guest_name = Some("ANNA ERIKSSON".into());
    f.arrival_confirmation = Some("A-1".into());
    f.arrived_at = Some(now);
    f.deadline_at = Some(now);
    f.fine_kzt = Some(43_250);
    f.fine_article = Some("CAO art. 518 part 1".into());
    f
}

fn drop_to(dir: PathBuf) -> AnyTransport {
    AnyTransport::from_config(
        &MailConfig {
            transport: TransportConfig::Drop { dir: Some(dir) },
            ..MailConfig::default()
        },
        std::path::Path::new("."),
    )
    .expect("a mail drop")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(5000, |a| a.parse().expect("MESSAGES is a number"));
    let base = args.next().map_or_else(
        || tempfile::tempdir().expect("a temporary directory").keep(),
        PathBuf::from,
    );
    let policy = Policy::default_kz();
    let url = "https://tirkeu.example.kz";
    let (drop_dir, plain_dir) = (base.join("drop"), base.join("plain"));
    std::fs::create_dir_all(&plain_dir).expect("a directory");
    let drop = drop_to(drop_dir.clone());

    // Warm up (templates, fonts of nothing, the file system's directory).
    for i in 0..200 {
        let f = facts(i);
        let rendered = tirkeu_server::mail::render(&policy, url, &f);
        let out = Outgoing {
            outbox_id: -1 - i64::try_from(i).unwrap_or(0),
            to: "warm@example.org".into(),
            lang: f.lang,
            rendered,
        };
        drop.send(&out).await.expect("sent");
    }

    let facts: Vec<MailFacts> = (0..n).map(facts).collect();
    let start = Instant::now();
    for f in &facts {
        std::hint::black_box(tirkeu_server::mail::render(&policy, url, f));
    }
    let render_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for (i, f) in facts.iter().enumerate() {
        let rendered = tirkeu_server::mail::render(&policy, url, f);
        let out = Outgoing {
            outbox_id: i64::try_from(i).unwrap_or(i64::MAX),
            to: format!("person{i}@example.org"),
            lang: f.lang,
            rendered,
        };
        drop.send(&out).await.expect("sent");
    }
    let rendered_secs = start.elapsed().as_secs_f64();

    let bytes: Vec<Vec<u8>> = (0..n)
        .map(|i| std::fs::read(drop_dir.join(format!("{i}.eml"))).expect("the mail drop's file"))
        .collect();
    let total: usize = bytes.iter().map(Vec::len).sum();
    let start = Instant::now();
    for (i, b) in bytes.iter().enumerate() {
        std::fs::write(plain_dir.join(format!("{i}.eml")), b).expect("written");
    }
    let plain_secs = start.elapsed().as_secs_f64();
    let durable_dir = base.join("durable");
    std::fs::create_dir_all(&durable_dir).expect("a directory");
    let start = Instant::now();
    for (i, b) in bytes.iter().enumerate() {
        use std::io::Write as _;
        let tmp = durable_dir.join(format!(".{i}.tmp"));
        let mut f = std::fs::File::create(&tmp).expect("created");
        f.write_all(b).expect("written");
        f.sync_all().expect("synced");
        std::fs::rename(&tmp, durable_dir.join(format!("{i}.eml"))).expect("renamed");
        std::fs::File::open(&durable_dir)
            .and_then(|d| d.sync_all())
            .expect("directory synced");
    }
    let durable_secs = start.elapsed().as_secs_f64();

    #[allow(clippy::cast_precision_loss)]
    let (nf, kib) = (n as f64, total as f64 / n as f64 / 1024.0);
    println!("messages: {n}, average {kib:.1} KiB, in {}", base.display());
    println!(
        "render + mail drop: {:.0} messages/s ({:.1} µs each)",
        nf / rendered_secs,
        rendered_secs / nf * 1e6
    );
    println!(
        "plain file writes of the same bytes: {:.0} files/s ({:.1} µs each)",
        nf / plain_secs,
        plain_secs / nf * 1e6
    );
    println!(
        "durable file writes of the same bytes (tmp, fsync, rename, fsync dir): {:.0} files/s ({:.1} µs each)",
        nf / durable_secs,
        durable_secs / nf * 1e6
    );
    println!(
        "render alone: {:.0} messages/s ({:.1} µs each)",
        nf / render_secs,
        render_secs / nf * 1e6
    );
    println!(
        "ratio to plain writes: {:.2}; to durable writes: {:.2}",
        plain_secs / rendered_secs,
        durable_secs / rendered_secs
    );
}
