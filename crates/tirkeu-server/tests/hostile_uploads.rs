//! Hostile uploads, sent as an attacker would: through the real upload endpoint of a running
//! server, over HTTP, with lying names and content types. Every file of the corpus is
//! refused with its stable code, or stored neutralised (what is stored is checked byte by
//! byte); the process's peak memory while the corpus runs is measured and bounded.
//!
//! The corpus is built in code (`forge`), so each file says what it is and how it is made.
#![allow(clippy::too_many_lines)] // one corpus, read top to bottom

mod common;
mod forge;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::Server;
use forge::*;
use image::ImageEncoder;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both!(
    an_oversized_upload_is_answered_before_its_body_ends,
    a_file_sent_before_its_kind_is_held_to_the_largest_limit,
    the_hostile_corpus_is_refused_or_neutralised,
);

/// A draft (card type work) to upload to; (number, access code).
async fn draft(s: &Server, passport: &str) -> (String, String) {
    common::draft(s, passport, "en").await
}

/// The passport scan's limit in the default policy (`max_size_mb = 10`).
const PASSPORT_MAX: usize = 10 * 1024 * 1024;

/// Reads one HTTP/1.1 response (head and a `Content-Length` body) from `rd`.
async fn read_response(rd: &mut (impl AsyncReadExt + Unpin)) -> (u16, String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = rd.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before a response");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = rd.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside the response body");
        body.extend_from_slice(&chunk[..n]);
    }
    (status, head, body)
}

/// Issue 11: uploads were read whole (up to 52 MiB) before the document's 10 MiB limit was
/// checked. A client announces a 40 MiB file, sends 11 MiB of it and then stalls with the
/// connection open: the answer (413, naming the field and the limit) must come while the
/// body is still unfinished — it could not if the server waited for the whole body.
async fn an_oversized_upload_is_answered_before_its_body_ends(s: Server) {
    let (number, code) = draft(&s, "H1000001").await;
    let boundary = "tirkeu-hostile-boundary";
    let first = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    );
    let last = format!("\r\n--{boundary}--\r\n");
    let announced_file = 40 * 1024 * 1024;
    let sent_file = 11 * 1024 * 1024;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let head = format!(
        "POST /api/v1/applications/{number}/documents HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {code}\r\nAccept-Language: en\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        first.len() + announced_file + last.len()
    );
    let (mut rd, mut wr) = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap()
        .into_split();
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        wr.write_all(first.as_bytes()).await?;
        let block = vec![b'x'; 64 * 1024];
        while counter.load(Ordering::SeqCst) < sent_file {
            wr.write_all(&block).await?;
            counter.fetch_add(block.len(), Ordering::SeqCst);
        }
        // Stall: the other 29 MiB never come, and the connection stays open.
        std::future::pending::<()>().await;
        Ok::<_, std::io::Error>(wr)
    });
    let started = Instant::now();
    let (status, head, body) =
        tokio::time::timeout(Duration::from_secs(30), read_response(&mut rd))
            .await
            .expect("no answer while the body stalls: the server waits for the whole upload");
    assert_eq!(status, 413, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{head}"
    );
    let p: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(p["code"], "upload.file_too_large", "{p}");
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
    assert_eq!(p["errors"][0]["code"], "upload.file_too_large", "{p}");
    assert_eq!(p["errors"][0]["params"]["max"], PASSPORT_MAX.to_string());
    assert!(p["detail"].as_str().unwrap().contains("10485760"), "{p}");
    // The body never ended: at most the 11 MiB the client had sent were there to read.
    assert!(sent.load(Ordering::SeqCst) <= sent_file);
    assert!(started.elapsed() < Duration::from_secs(30));
    writer.abort();
    // An ordinary client that sends the whole 40 MiB gets the same answer, not a reset
    // connection.
    let form = Form::new().text("kind", "passport").part(
        "file",
        Part::bytes(vec![b'x'; announced_file]).file_name("scan.pdf"),
    );
    let r = s
        .http
        .post(s.url(&format!("/api/v1/applications/{number}/documents")))
        .bearer_auth(&code)
        .multipart(form)
        .send()
        .await
        .expect("an answer, not a reset connection");
    let p = common::problem(r, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
    // Nothing was stored, and the server still serves.
    let r = s
        .get(&format!("/api/v1/applications/{number}"), Some(&code))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// A form that sends its file before its kind: the file is held to the largest limit of the
/// checklist while it is read, and to its own kind's once the kind is known.
async fn a_file_sent_before_its_kind_is_held_to_the_largest_limit(s: Server) {
    let (number, code) = draft(&s, "H1000002").await;
    let send = |form: Form| {
        s.http
            .post(s.url(&format!("/api/v1/applications/{number}/documents")))
            .bearer_auth(&code)
            .multipart(form)
            .send()
    };
    // A 6 MiB PNG photo: under the passport's 10 MiB, over the photo's 5 MiB.
    let mut big_png = small_png(8, 8);
    let iend = big_png.len() - 12;
    big_png.splice(iend..iend, png_chunk(*b"zzZz", &vec![0u8; 6 * 1024 * 1024]));
    let form = Form::new()
        .part("file", Part::bytes(big_png.clone()).file_name("photo.png"))
        .text("kind", "photos");
    let p = common::problem(send(form).await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
    assert_eq!(
        p["errors"][0]["params"]["max"],
        (5 * 1024 * 1024).to_string()
    );
    // The same file as a passport scan, kind first or file first, is within its limit.
    let form = Form::new()
        .part("file", Part::bytes(big_png.clone()).file_name("scan.png"))
        .text("kind", "passport");
    assert_eq!(send(form).await.unwrap().status(), StatusCode::CREATED);
    // Kind first: the photo's own limit applies while the file is read.
    let form = Form::new()
        .text("kind", "photos")
        .part("file", Part::bytes(big_png).file_name("photo.png"));
    let p = common::problem(send(form).await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(p["code"], "upload.file_too_large", "{p}");
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// What must become of a file.
enum Expect {
    /// Refused (422) with this problem code on the field `file`.
    Refused(&'static str),
    /// Stored as `content_type`, re-encoded: none of `gone` is in the stored bytes.
    Neutralised {
        content_type: &'static str,
        gone: Vec<&'static [u8]>,
    },
}

struct Hostile {
    name: String,
    /// The checklist document it is sent as.
    kind: &'static str,
    /// The name and content type the client claims (never consulted by the server).
    file_name: &'static str,
    claimed: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
}

fn refused(
    name: &str,
    kind: &'static str,
    file_name: &'static str,
    claimed: &'static str,
    bytes: Vec<u8>,
    code: &'static str,
) -> Hostile {
    Hostile {
        name: name.to_owned(),
        kind,
        file_name,
        claimed,
        bytes,
        expect: Expect::Refused(code),
    }
}

fn neutralised(
    name: &str,
    kind: &'static str,
    file_name: &'static str,
    claimed: &'static str,
    bytes: Vec<u8>,
    content_type: &'static str,
    gone: Vec<&'static [u8]>,
) -> Hostile {
    Hostile {
        name: name.to_owned(),
        kind,
        file_name,
        claimed,
        bytes,
        expect: Expect::Neutralised { content_type, gone },
    }
}

const HTML: &[u8] = b"<html><body><script>alert(document.cookie)</script></body></html>";
const ZIP_SIGNATURES: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"];

/// The hostile corpus: polyglots, lying names and types, metadata, bombs, truncations and
/// every kind of active PDF.
fn corpus() -> Vec<Hostile> {
    let jar = zip(
        "Exploit.class",
        b"\xca\xfe\xba\xbe\x00\x00\x00\x34 a Java class",
        b"",
    );
    let pdf_before_eof = {
        let p = minimal_pdf();
        p[..p.len() - 6].to_vec() // without "%%EOF\n"
    };
    let mut huge_jpeg = small_jpeg(8, 8);
    let sof = huge_jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .unwrap();
    huge_jpeg[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    huge_jpeg[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    let photo = small_jpeg(64, 48);
    let mut c = vec![
        // Polyglots.
        refused(
            "pdf+zip (zip appended)",
            "passport",
            "scan.pdf",
            "application/pdf",
            [minimal_pdf(), jar.clone()].concat(),
            "upload.archive",
        ),
        refused(
            "pdf+zip (zip inside, %%EOF in the zip comment)",
            "passport",
            "scan.pdf",
            "application/pdf",
            [pdf_before_eof, zip("a.txt", b"hello", b"\n%%EOF\n")].concat(),
            "upload.archive",
        ),
        refused(
            "pdf+html (html after %%EOF)",
            "passport",
            "scan.pdf",
            "application/pdf",
            [minimal_pdf(), HTML.to_vec()].concat(),
            "upload.bad_pdf",
        ),
        refused(
            "html+pdf (pdf after an html prefix)",
            "passport",
            "scan.pdf",
            "application/pdf",
            [HTML.to_vec(), minimal_pdf()].concat(),
            "upload.unrecognised_type",
        ),
        neutralised(
            "jpeg+html (html in a comment and after EOI)",
            "photos",
            "photo.jpg",
            "image/jpeg",
            [jpeg_with_comment(&photo, HTML), HTML.to_vec()].concat(),
            "image/jpeg",
            vec![b"<script", b"<html"],
        ),
        refused(
            "gifar (gif+jar)",
            "photos",
            "photo.gif",
            "image/gif",
            [b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), jar.clone()].concat(),
            "upload.unrecognised_type",
        ),
        neutralised(
            "jpeg+jar",
            "photos",
            "photo.jpg",
            "image/jpeg",
            [photo.clone(), jar.clone()].concat(),
            "image/jpeg",
            ZIP_SIGNATURES.to_vec(),
        ),
        neutralised(
            "png+jar",
            "photos",
            "photo.png",
            "image/png",
            [small_png(16, 16), jar.clone()].concat(),
            "image/png",
            ZIP_SIGNATURES.to_vec(),
        ),
        // Lying names and declared types: the content decides.
        refused(
            "pdf named photo.jpg, declared image/jpeg, for a photo",
            "photos",
            "photo.jpg",
            "image/jpeg",
            minimal_pdf(),
            "upload.type_not_allowed",
        ),
        refused(
            "windows executable named scan.pdf",
            "passport",
            "scan.pdf",
            "application/pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode".to_vec(),
            "upload.unrecognised_type",
        ),
        refused(
            "svg with a script named photo.png",
            "photos",
            "photo.png",
            "image/png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "upload.unrecognised_type",
        ),
        refused(
            "html named scan.pdf",
            "passport",
            "scan.pdf",
            "application/pdf",
            HTML.to_vec(),
            "upload.unrecognised_type",
        ),
        refused(
            "docx (a zip) named scan.pdf",
            "passport",
            "scan.pdf",
            "application/pdf",
            zip("[Content_Types].xml", b"<Types/>", b""),
            "upload.archive",
        ),
        refused(
            "jar named photo.jpg",
            "photos",
            "photo.jpg",
            "image/jpeg",
            jar,
            "upload.archive",
        ),
        neutralised(
            "png named scan.pdf, declared application/pdf",
            "passport",
            "scan.pdf",
            "application/pdf",
            small_png(16, 16),
            "image/png",
            vec![],
        ),
        refused(
            "empty file",
            "passport",
            "scan.pdf",
            "application/pdf",
            vec![],
            "upload.empty",
        ),
        // Metadata.
        neutralised(
            "jpeg with EXIF and GPS",
            "photos",
            "photo.jpg",
            "image/jpeg",
            jpeg_with_exif(&photo, 1),
            "image/jpeg",
            vec![b"Exif\0\0", b"SECRET-GPS", b"II*\0"],
        ),
        neutralised(
            "png with text, XMP and EXIF chunks",
            "photos",
            "photo.png",
            "image/png",
            png_insert_after_ihdr(
                &small_png(16, 9),
                &[
                    png_chunk(*b"tEXt", b"Comment\0SECRET-TEXT"),
                    png_chunk(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0SECRET-XMP"),
                    png_chunk(*b"eXIf", &exif_tiff(1)),
                ],
            ),
            "image/png",
            vec![b"tEXt", b"iTXt", b"eXIf", b"SECRET"],
        ),
        // Bombs and huge dimensions.
        refused(
            "png decompression bomb (20000×20000 of zeros in 2.4 MB)",
            "photos",
            "photo.png",
            "image/png",
            png_with(20_000, 20_000, 8, 0, &zlib_zeros(20_000 * 20_001)),
            "upload.image_too_large",
        ),
        refused(
            "png declaring 50000×50000",
            "photos",
            "photo.png",
            "image/png",
            lying_png(50_000, 50_000),
            "upload.image_too_large",
        ),
        refused(
            "png within the pixel limit, over the memory limit (6000×6000 RGBA16)",
            "photos",
            "photo.png",
            "image/png",
            png_with(6000, 6000, 16, 6, &zlib_zeros(1)),
            "upload.image_too_large",
        ),
        refused(
            "jpeg declaring 65000×65000",
            "photos",
            "photo.jpg",
            "image/jpeg",
            huge_jpeg,
            "upload.image_too_large",
        ),
        refused(
            "png declaring 0×5",
            "photos",
            "photo.png",
            "image/png",
            lying_png(0, 5),
            "upload.bad_image",
        ),
        // Truncations.
        refused(
            "truncated png",
            "photos",
            "photo.png",
            "image/png",
            small_png(32, 32)[..60].to_vec(),
            "upload.bad_image",
        ),
        refused(
            "jpeg cut inside its headers",
            "photos",
            "photo.jpg",
            "image/jpeg",
            photo[..100].to_vec(),
            "upload.bad_image",
        ),
        refused(
            "truncated pdf (no %%EOF)",
            "passport",
            "scan.pdf",
            "application/pdf",
            minimal_pdf()[..200].to_vec(),
            "upload.bad_pdf",
        ),
        // PDFs that cannot be inspected.
        refused(
            "encrypted pdf",
            "passport",
            "scan.pdf",
            "application/pdf",
            encrypted_pdf(),
            "upload.bad_pdf",
        ),
        refused(
            "pdf with an object stream of 300 MiB of zeros no xref lists",
            "passport",
            "scan.pdf",
            "application/pdf",
            with_orphan(minimal_pdf(), &{
                let zeros = zlib_zeros(300 * 1024 * 1024);
                let mut o = format!(
                    "9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length {} >>\nstream\n",
                    zeros.len()
                )
                .into_bytes();
                o.extend(zeros);
                o.extend_from_slice(b"\nendstream\nendobj\n");
                o
            }),
            "upload.bad_pdf",
        ),
    ];
    // Every kind of active PDF content: plain, escaped, in a compressed object stream, and in
    // one no cross-reference lists.
    for (name, _, object) in ACTIVE_CASES {
        let plain = object.replace("{}", name);
        let hidden = object.replace("{}", &escaped(name));
        for (how, bytes) in [
            (
                "plain",
                minimal_pdf_with_catalog(" /Extra 5 0 R", &[&plain]),
            ),
            (
                "escaped",
                minimal_pdf_with_catalog(" /Extra 5 0 R", &[&hidden]),
            ),
            (
                "in an object stream",
                pdf_with_object_stream_as(" /Extra 4 0 R", &hidden, true),
            ),
            (
                "in an orphan object stream",
                with_orphan(minimal_pdf(), &orphan_object_stream(&plain)),
            ),
        ] {
            c.push(refused(
                &format!("pdf with /{name} {how}"),
                "passport",
                "scan.pdf",
                "application/pdf",
                bytes,
                "upload.active_pdf",
            ));
        }
    }
    c
}

/// The process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

async fn the_hostile_corpus_is_refused_or_neutralised(s: Server) {
    let (number, code) = draft(&s, "H1000003").await;
    let documents =
        tirkeu_server::upload::DocumentStore::open(&s.dir.path().join("documents")).unwrap();
    let corpus = corpus();
    let largest = corpus.iter().map(|h| h.bytes.len()).max().unwrap();
    let before = peak_rss_kib();
    let started = Instant::now();
    let (mut refused, mut neutralised) = (0, 0);
    for h in &corpus {
        let form = Form::new().text("kind", h.kind).part(
            "file",
            Part::bytes(h.bytes.clone())
                .file_name(h.file_name)
                .mime_str(h.claimed)
                .unwrap(),
        );
        let r = s.upload(&number, &code, form).await;
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        match &h.expect {
            Expect::Refused(want) => {
                assert_eq!(
                    status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{}: {body}",
                    h.name
                );
                assert_eq!(body["errors"][0]["field"], "file", "{}: {body}", h.name);
                assert_eq!(body["errors"][0]["code"], *want, "{}: {body}", h.name);
                refused += 1;
            }
            Expect::Neutralised { content_type, gone } => {
                assert_eq!(status, StatusCode::CREATED, "{}: {body}", h.name);
                assert_eq!(body["content_type"], *content_type, "{}", h.name);
                let stored = documents
                    .get(body["sha256"].as_str().unwrap())
                    .await
                    .unwrap();
                if !gone.is_empty() {
                    assert_ne!(&stored[..], &h.bytes[..], "{}: stored as sent", h.name);
                }
                for needle in gone {
                    assert!(
                        !contains(&stored, needle),
                        "{}: {:?} survived",
                        h.name,
                        String::from_utf8_lossy(needle)
                    );
                }
                // What is stored is a plain image that decodes.
                image::load_from_memory(&stored)
                    .unwrap_or_else(|e| panic!("{}: stored image: {e}", h.name));
                neutralised += 1;
            }
        }
    }
    let after = peak_rss_kib();
    let elapsed = started.elapsed();
    // The figure for docs/assurance.md (`--nocapture` shows it).
    println!(
        "hostile corpus: {} files ({refused} refused, {neutralised} neutralised) in {:.1} s; \
         largest {} KiB; VmHWM {} MiB before, {} MiB after",
        corpus.len(),
        elapsed.as_secs_f64(),
        largest / 1024,
        before / 1024,
        after / 1024
    );
    assert!(
        refused >= 80 && neutralised >= 5,
        "{refused} refused, {neutralised} neutralised"
    );
    // Bounded: no bomb was inflated. (The bound is loose because the other tests of this
    // binary share the process; one inflated bomb alone would pass 1 GiB.)
    assert!(
        after.saturating_sub(before) < 768 * 1024,
        "peak memory rose by {} MiB",
        after.saturating_sub(before) / 1024
    );
}

/// Writes the binary seeds of the fuzz targets (`fuzz/corpus/{upload_sniff,image_decode,
/// pdf_screen}/`) from the forged files above; run by hand after changing them:
/// `cargo test -p tirkeu-server --test hostile_uploads -- --ignored write_fuzz_seeds`.
#[test]
#[ignore = "writes the fuzz seed corpus; run by hand"]
fn write_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut grey16 = Vec::new();
    image::codecs::png::PngEncoder::new(&mut grey16)
        .write_image(
            &[0u8, 1, 2, 3, 4, 5, 6, 7],
            2,
            2,
            image::ExtendedColorType::L16,
        )
        .unwrap();
    let jar = zip("a.class", b"\xca\xfe\xba\xbe", b"");
    let seeds: [(&str, &str, Vec<u8>); 22] = [
        ("upload_sniff", "png", small_png(4, 4)),
        ("upload_sniff", "jpeg", small_jpeg(4, 4)),
        ("upload_sniff", "pdf", minimal_pdf()),
        ("upload_sniff", "zip", jar.clone()),
        ("upload_sniff", "tar", tar()),
        (
            "upload_sniff",
            "gifar",
            [b"GIF89a\x01\x00\x01\x00".to_vec(), jar.clone()].concat(),
        ),
        (
            "upload_sniff",
            "html_pdf",
            [HTML.to_vec(), minimal_pdf()].concat(),
        ),
        (
            "image_decode",
            "png_chunks",
            png_insert_after_ihdr(
                &small_png(6, 5),
                &[
                    png_chunk(*b"tEXt", b"Comment\0x"),
                    png_chunk(*b"eXIf", &exif_tiff(1)),
                ],
            ),
        ),
        (
            "image_decode",
            "jpeg_exif_rotated",
            jpeg_with_exif(&small_jpeg(12, 8), 6),
        ),
        (
            "image_decode",
            "jpeg_comment",
            jpeg_with_comment(&small_jpeg(8, 8), HTML),
        ),
        ("image_decode", "png_grey16", grey16),
        ("image_decode", "png_lying_50000", lying_png(50_000, 50_000)),
        (
            "image_decode",
            "png_zeros_64",
            png_with(64, 64, 8, 0, &zlib_zeros(64 * 65)),
        ),
        (
            "image_decode",
            "png_truncated",
            small_png(8, 8)[..40].to_vec(),
        ),
        ("pdf_screen", "minimal", minimal_pdf()),
        (
            "pdf_screen",
            "open_action_js",
            minimal_pdf_with_catalog(
                " /OpenAction 5 0 R",
                &["<< /S /JavaScript /JS (app.alert\\(1\\)) >>"],
            ),
        ),
        (
            "pdf_screen",
            "objstm_flate",
            pdf_with_object_stream_as(" /Extra 4 0 R", "<< /S /J#61vaScript >>", true),
        ),
        (
            "pdf_screen",
            "objstm_plain",
            pdf_with_object_stream(" /OpenAction [3 0 R /Fit]", "<< >>"),
        ),
        (
            "pdf_screen",
            "orphan_objstm",
            with_orphan(minimal_pdf(), &orphan_object_stream("<< /E#46 << >> >>")),
        ),
        ("pdf_screen", "encrypted", encrypted_pdf()),
        (
            "pdf_screen",
            "filespec_ef",
            minimal_pdf_with_catalog(
                " /AF [5 0 R]",
                &[
                    "<< /Type /Filespec /EF << /F 6 0 R >> >>",
                    "<< /Length 2 >>\nstream\nMZ\nendstream",
                ],
            ),
        ),
        ("pdf_screen", "pdf_zip", [minimal_pdf(), jar].concat()),
    ];
    for (target, name, bytes) in seeds {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            bytes.len() < 4096,
            "{target}/{name} is {} bytes",
            bytes.len()
        );
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
