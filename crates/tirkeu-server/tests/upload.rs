//! Upload sanitising: type detection, metadata stripping, bombs, active PDFs, storage.

#![allow(
    clippy::cast_possible_truncation,
    reason = "test pixel patterns and bit packing truncate on purpose"
)]

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::codecs::png::{PngDecoder, PngEncoder};
use image::metadata::Orientation;
use image::{ExtendedColorType, ImageDecoder, ImageEncoder};
use proptest::prelude::*;
use sha2::Digest;
use tirkeu_server::upload::{
    Detected, DocumentStore, Limits, Sanitized, UploadError, detect, sanitize,
};

const ALL: &[&str] = &["image/jpeg", "image/png", "application/pdf"];

fn limits() -> Limits {
    Limits::default()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Builders

fn small_jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| {
            let (x, y) = (i % width, i / width);
            [(x * 5) as u8, (y * 5) as u8, 128]
        })
        .collect();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(&pixels, width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn small_png(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 256) as u8, 50, 200, 255])
        .collect();
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&pixels, width, height, ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// A little-endian TIFF/EXIF block: IFD0 with Orientation and a GPS IFD pointer; the GPS IFD
/// holds latitude N 43°15'0" and a map datum string we can search for.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes()); // IFD0 at 8
    // IFD0: 2 entries (2 + 2*12 + 4 = 30 bytes) → GPS IFD at 38.
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]); // Orientation, SHORT
    entry(&mut t, 0x8825, 4, 1, 38u32.to_le_bytes()); // GPSInfo IFD pointer, LONG
    t.extend_from_slice(&0u32.to_le_bytes()); // no IFD1
    assert_eq!(t.len(), 38);
    // GPS IFD: 3 entries (2 + 36 + 4 = 42) → data at 80.
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0"); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, 80u32.to_le_bytes()); // GPSLatitude, 3 RATIONALs
    entry(&mut t, 0x0012, 2, 16, 104u32.to_le_bytes()); // GPSMapDatum, ASCII
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 80);
    for (num, den) in [(43u32, 1u32), (15, 1), (0, 1)] {
        t.extend_from_slice(&num.to_le_bytes());
        t.extend_from_slice(&den.to_le_bytes());
    }
    t.extend_from_slice(b"SECRET-GPS-WGS8\0");
    t
}

/// Splices an APP1 `Exif\0\0` segment in right after SOI.
fn jpeg_with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&exif_tiff(orientation));
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    c.extend_from_slice(&body);
    c.extend_from_slice(&crc32(&body).to_be_bytes());
    c
}

/// Inserts chunks right after IHDR (8 signature + 25 IHDR bytes).
fn png_insert_after_ihdr(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png[..33].to_vec();
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&png[33..]);
    out
}

/// A PNG whose IHDR declares `width`×`height`, bit depth and colour type as given, followed by
/// `idat` (a zlib stream) and IEND; all CRCs correct.
fn png_with(width: u32, height: u32, depth: u8, colour: u8, idat: &[u8]) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(*b"IHDR", &ihdr));
    out.extend(png_chunk(*b"IDAT", idat));
    out.extend(png_chunk(*b"IEND", &[]));
    out
}

/// Bits written least-significant first, as deflate wants.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code goes in most-significant bit first.
    fn put_code(&mut self, code: u32, bits: u32) {
        let reversed = code.reverse_bits() >> (32 - bits);
        self.put(reversed, bits);
    }
}

/// A zlib stream of `len` zero bytes: fixed-Huffman deflate, one literal then length-258
/// distance-1 matches (13 bits per 258 bytes), so gigabyte bombs stay a few megabytes.
fn zlib_zeros(len: u64) -> Vec<u8> {
    let mut w = BitWriter {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // BFINAL
    w.put(1, 2); // fixed Huffman
    let literal_zero = |w: &mut BitWriter| w.put_code(0x30, 8);
    literal_zero(&mut w);
    let mut left = len - 1;
    while left >= 258 {
        w.put_code(0xC5, 8); // length code 285 = 258
        w.put_code(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        literal_zero(&mut w);
    }
    w.put_code(0, 7); // end of block
    if w.n > 0 {
        w.put(0, 8 - w.n);
    }
    // Adler-32 of zeros: a stays 1, b grows by 1 per byte.
    let b = u32::try_from(len % 65521).unwrap();
    w.out.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    w.out
}

/// A PDF from numbered object bodies (1-based), with a correct xref table.
fn pdf(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const CONTENT: &str =
    "<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (Passport copy) Tj ET\nendstream";

fn minimal_pdf_with_catalog(catalog_extra: &str, extra_objects: &[&str]) -> Vec<u8> {
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>");
    let mut objects = vec![
        catalog.as_str(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        CONTENT,
    ];
    objects.extend_from_slice(extra_objects);
    pdf(&objects, "")
}

fn minimal_pdf() -> Vec<u8> {
    minimal_pdf_with_catalog("", &[])
}

fn active(result: Result<Sanitized, UploadError>) -> Vec<&'static str> {
    match result {
        Err(UploadError::ActivePdf(found)) => found,
        other => panic!("expected ActivePdf, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Images

#[test]
fn jpeg_exif_and_gps_are_stripped_and_dimensions_kept() {
    let input = jpeg_with_exif(&small_jpeg(40, 24), 1);
    // The spliced EXIF is real: the decoder sees it.
    let exif = JpegDecoder::new(Cursor::new(&input))
        .unwrap()
        .exif_metadata()
        .unwrap()
        .expect("input has EXIF");
    assert!(contains(&exif, b"SECRET-GPS"));

    let out = sanitize(&input, ALL, &limits()).unwrap();
    assert_eq!(out.content_type, "image/jpeg");
    assert!(out.bytes.starts_with(b"\xff\xd8\xff"));
    assert!(!contains(&out.bytes, b"Exif\0\0"));
    assert!(!contains(&out.bytes, b"SECRET-GPS"));
    let mut decoder = JpegDecoder::new(Cursor::new(&out.bytes)).unwrap();
    assert_eq!(decoder.exif_metadata().unwrap(), None);
    assert_eq!(decoder.dimensions(), (40, 24));
}

#[test]
fn jpeg_orientation_is_applied_before_stripping() {
    // 6 = rotate 90° clockwise to display: a 40×24 landscape sensor image is a 24×40 portrait.
    let input = jpeg_with_exif(&small_jpeg(40, 24), 6);
    let exif = JpegDecoder::new(Cursor::new(&input))
        .unwrap()
        .exif_metadata()
        .unwrap()
        .unwrap();
    assert_eq!(
        Orientation::from_exif_chunk(&exif),
        Some(Orientation::Rotate90)
    );
    let out = sanitize(&input, ALL, &limits()).unwrap();
    let mut decoder = JpegDecoder::new(Cursor::new(&out.bytes)).unwrap();
    assert_eq!(decoder.exif_metadata().unwrap(), None);
    assert_eq!(decoder.dimensions(), (24, 40));
}

#[test]
fn png_text_and_exif_chunks_are_stripped() {
    let mut exif = b"".to_vec();
    exif.extend_from_slice(&exif_tiff(1));
    let input = png_insert_after_ihdr(
        &small_png(16, 9),
        &[
            png_chunk(*b"tEXt", b"Comment\0SECRET-TEXT"),
            png_chunk(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0SECRET-XMP"),
            png_chunk(*b"eXIf", &exif),
        ],
    );
    assert!(
        PngDecoder::new(Cursor::new(&input))
            .unwrap()
            .exif_metadata()
            .unwrap()
            .is_some()
    );

    let out = sanitize(&input, ALL, &limits()).unwrap();
    assert_eq!(out.content_type, "image/png");
    for needle in [&b"tEXt"[..], b"iTXt", b"eXIf", b"SECRET", b"Exif"] {
        assert!(!contains(&out.bytes, needle), "{needle:?} survived");
    }
    let mut decoder = PngDecoder::new(Cursor::new(&out.bytes)).unwrap();
    assert_eq!(decoder.exif_metadata().unwrap(), None);
    assert_eq!(decoder.dimensions(), (16, 9));
}

#[test]
fn sanitized_hash_is_of_the_stored_bytes() {
    let out = sanitize(&small_png(4, 4), ALL, &limits()).unwrap();
    let again = sanitize(&small_png(4, 4), ALL, &limits()).unwrap();
    assert_eq!(out.sha256.len(), 64);
    assert_eq!(out, again, "sanitising is deterministic");
    let pdf = minimal_pdf();
    let stored = sanitize(&pdf, ALL, &limits()).unwrap();
    assert_eq!(stored.sha256, hex::encode(sha2::Sha256::digest(&pdf)));
    assert_eq!(out.sha256, hex::encode(sha2::Sha256::digest(&out.bytes)));
}

// ---------------------------------------------------------------------------------------------
// Bombs

fn assert_quick_refusal(input: &[u8], limits: &Limits, width: u32, height: u32) {
    let start = Instant::now();
    let result = sanitize(input, ALL, limits);
    let elapsed = start.elapsed();
    match result {
        Err(UploadError::ImageTooLarge {
            width: w,
            height: h,
            max_pixels,
        }) => {
            assert_eq!((w, h), (width, height));
            assert_eq!(max_pixels, limits.max_pixels);
        }
        other => panic!("expected ImageTooLarge, got {other:?}"),
    }
    assert!(elapsed < Duration::from_millis(500), "took {elapsed:?}");
}

/// A real 1×1 PNG whose IHDR is rewritten to declare 50,000 × 50,000 (CRC fixed).
fn lying_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = small_png(1, 1);
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn png_declaring_huge_dimensions_is_refused_before_decoding() {
    let bomb = lying_png(50_000, 50_000);
    assert_quick_refusal(&bomb, &limits(), 50_000, 50_000);
}

#[test]
fn decoder_memory_limit_holds_even_when_the_pixel_limit_is_lifted() {
    let lifted = Limits {
        max_pixels: u64::MAX,
        max_alloc: 64 * 1024 * 1024,
        ..limits()
    };
    assert_quick_refusal(&lying_png(50_000, 50_000), &lifted, 50_000, 50_000);
}

#[test]
fn image_within_pixel_limit_but_over_memory_limit_is_refused() {
    // 6000×6000 = 36 MP (under 40 MP) but RGBA16 needs 288 MB (over 256 MiB).
    let png = png_with(6000, 6000, 16, 6, &zlib_zeros(1));
    assert_quick_refusal(&png, &limits(), 6000, 6000);
}

#[test]
fn zlib_zeros_builds_a_valid_png() {
    // Checks the bomb generator itself: 64×64 grey zeros (each row: filter byte + 64 pixels).
    let png = png_with(64, 64, 8, 0, &zlib_zeros(64 * 65));
    let out = sanitize(&png, ALL, &limits()).unwrap();
    let decoder = PngDecoder::new(Cursor::new(&out.bytes)).unwrap();
    assert_eq!(decoder.dimensions(), (64, 64));
}

#[test]
fn real_decompression_bomb_is_refused_without_allocating() {
    // 20,000 × 20,000 all-black grey PNG: 400 MB of pixels in ~2.4 MB of deflate.
    let (w, h) = (20_000u32, 20_000u32);
    let bomb = png_with(w, h, 8, 0, &zlib_zeros(u64::from(h) * (u64::from(w) + 1)));
    assert!(bomb.len() < 3_000_000);
    assert_quick_refusal(&bomb, &limits(), w, h);
    let lifted = Limits {
        max_pixels: u64::MAX,
        ..limits()
    };
    assert_quick_refusal(&bomb, &lifted, w, h);
}

#[test]
fn jpeg_declaring_huge_dimensions_is_refused() {
    let mut jpeg = small_jpeg(8, 8);
    // Our encoder writes SOF0 (FF C0); patch its height and width to 65,000 × 65,000.
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    assert_quick_refusal(&jpeg, &limits(), 65_000, 65_000);
}

#[test]
fn truncated_images_are_bad_images() {
    let png = small_png(8, 8);
    assert!(matches!(
        sanitize(&png[..40], ALL, &limits()),
        Err(UploadError::BadImage(_))
    ));
    assert!(matches!(
        sanitize(b"\xff\xd8\xff\xe0", ALL, &limits()),
        Err(UploadError::BadImage(_))
    ));
    assert!(matches!(
        sanitize(&lying_png(0, 5), ALL, &limits()),
        Err(UploadError::BadImage(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// PDFs

#[test]
fn minimal_pdf_is_accepted_unchanged() {
    let input = minimal_pdf();
    let out = sanitize(&input, &["application/pdf"], &limits()).unwrap();
    assert_eq!(out.content_type, "application/pdf");
    assert_eq!(out.bytes, input);
}

#[test]
fn open_action_javascript_is_refused() {
    let input = minimal_pdf_with_catalog(
        " /OpenAction 5 0 R",
        &["<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"],
    );
    assert_eq!(
        active(sanitize(&input, ALL, &limits())),
        ["JavaScript", "OpenAction"]
    );
}

#[test]
fn hex_escaped_names_are_seen() {
    let input = minimal_pdf_with_catalog(
        " /Names << /J#61vaScript 5 0 R >>",
        &[
            "<< /Names [(x) 6 0 R] >>",
            "<< /S /J#61v#61Script /J#53 (1) >>",
        ],
    );
    assert_eq!(active(sanitize(&input, ALL, &limits())), ["JavaScript"]);
    let input = minimal_pdf_with_catalog(
        " /#4fpen#41ction 5 0 R",
        &["<< /S /GoTo /D [3 0 R /Fit] >>"],
    );
    assert_eq!(active(sanitize(&input, ALL, &limits())), ["OpenAction"]);
}

#[test]
fn embedded_file_is_refused() {
    let input = minimal_pdf_with_catalog(
        " /Names << /EmbeddedFiles 5 0 R >>",
        &[
            "<< /Names [(payload.exe) 6 0 R] >>",
            "<< /Type /Filespec /F (payload.exe) /EF << /F 7 0 R >> >>",
            "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
        ],
    );
    assert_eq!(active(sanitize(&input, ALL, &limits())), ["EmbeddedFile"]);
}

#[test]
fn other_active_content_is_named() {
    for (extra, object, expected) in [
        (
            " /AA << /WC 5 0 R >>",
            "<< /S /Launch /F (cmd.exe) >>",
            vec!["AA", "Launch"],
        ),
        (
            " /AcroForm << /XFA 5 0 R >>",
            "<< /Length 0 >>\nstream\n\nendstream",
            vec!["XFA"],
        ),
        (
            " /OpenAction 5 0 R",
            "<< /S /SubmitForm /F (http://x) >>",
            vec!["OpenAction", "SubmitForm"],
        ),
        (
            " /Outlines 5 0 R",
            "<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
            vec!["GoToR"],
        ),
        (
            " /Extra 5 0 R",
            "<< /Subtype /RichMedia >>",
            vec!["RichMedia"],
        ),
    ] {
        let input = minimal_pdf_with_catalog(extra, &[object]);
        assert_eq!(
            active(sanitize(&input, ALL, &limits())),
            expected,
            "{extra} {object}"
        );
    }
}

#[test]
fn links_and_binary_stream_data_are_not_active() {
    // A URI link is fine, and stream bodies with `/AA ` or `/JS` by chance are not names.
    let input = minimal_pdf_with_catalog(
        " /Extra 5 0 R /Other 6 0 R",
        &[
            "<< /S /URI /URI (https://egov.kz) >>",
            "<< /Length 20 >>\nstream\n\x01/AA \x02/JS\n\x03/Launch\x04 \nendstream",
        ],
    );
    let out = sanitize(&input, ALL, &limits()).unwrap();
    assert_eq!(out.bytes, input);
}

/// A PDF 1.5 file whose catalog and action live in an (uncompressed) object stream, found
/// through a cross-reference stream: only a parser that reads object streams sees them.
fn pdf_with_object_stream(catalog_extra: &str, action: &str) -> Vec<u8> {
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>");
    let header = format!("1 0 4 {} ", catalog.len() + 1);
    let body = format!("{header}{catalog}\n{action}\n");
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = [0usize; 7];
    let mut object = |out: &mut Vec<u8>, n: usize, text: &str| {
        offsets[n] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n{text}\nendobj\n").as_bytes());
    };
    object(&mut out, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object(
        &mut out,
        3,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    );
    object(
        &mut out,
        5,
        &format!(
            "<< /Type /ObjStm /N 2 /First {} /Length {} >>\nstream\n{body}\nendstream",
            header.len(),
            body.len()
        ),
    );
    let xref_at = out.len();
    offsets[6] = xref_at;
    let mut entries = Vec::new();
    let mut entry = |t: u8, a: usize, b: u16| {
        entries.push(t);
        entries.extend_from_slice(&u32::try_from(a).unwrap().to_be_bytes());
        entries.extend_from_slice(&b.to_be_bytes());
    };
    entry(0, 0, 0xFFFF);
    entry(2, 5, 0);
    entry(1, offsets[2], 0);
    entry(1, offsets[3], 0);
    entry(2, 5, 1);
    entry(1, offsets[5], 0);
    entry(1, offsets[6], 0);
    out.extend_from_slice(
        format!(
            "6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
            entries.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&entries);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

#[test]
fn object_streams_are_inspected() {
    let clean = pdf_with_object_stream("", "<< /S /GoTo /D [3 0 R /Fit] >>");
    let out = sanitize(&clean, ALL, &limits()).unwrap();
    assert_eq!(out.bytes, clean);

    let hidden = pdf_with_object_stream(" /Open#41ction 4 0 R", "<< /S /J#61vaScript /JS (x) >>");
    assert_eq!(
        active(sanitize(&hidden, ALL, &limits())),
        ["JavaScript", "OpenAction"]
    );
}

#[test]
fn objects_outside_the_xref_are_still_scanned() {
    // An orphan object the xref does not list: a reader that rebuilds the xref could find it.
    let mut input = minimal_pdf();
    let at = input.windows(4).position(|w| w == b"xref").unwrap();
    let orphan = b"9 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n";
    input.splice(at..at, orphan.iter().copied());
    // The xref offset is now stale; fix startxref so the file still parses as written.
    let start = input
        .windows(10)
        .rposition(|w| w == b"startxref\n")
        .unwrap()
        + 10;
    let end = start + input[start..].iter().position(|&b| b == b'\n').unwrap();
    let new_xref = at + orphan.len();
    input.splice(start..end, new_xref.to_string().bytes());
    assert_eq!(active(sanitize(&input, ALL, &limits())), ["JavaScript"]);
}

#[test]
fn garbage_pdfs_are_bad() {
    for input in [
        &b"%PDF-1.7\nthis is not a pdf at all\n%%EOF\n"[..],
        b"%PDF-1.4\n\x00\x01\x02\x03\x04\x05",
        b"%PDF-",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    ] {
        match sanitize(input, ALL, &limits()) {
            Err(UploadError::BadPdf(_)) => {}
            other => panic!(
                "{:?}: expected BadPdf, got {other:?}",
                String::from_utf8_lossy(input)
            ),
        }
    }
}

#[test]
fn pdf_without_eof_marker_is_bad() {
    let mut input = minimal_pdf();
    input.truncate(input.len() - 6);
    assert!(matches!(
        sanitize(&input, ALL, &limits()),
        Err(UploadError::BadPdf(_))
    ));
}

#[test]
fn encrypted_pdf_is_refused() {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        "<< /Filter /Standard /V 1 /R 2 /P -4 \
         /O <0000000000000000000000000000000000000000000000000000000000000000> \
         /U <0000000000000000000000000000000000000000000000000000000000000000> >>",
    ];
    let input = pdf(
        &objects,
        " /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    );
    assert!(matches!(
        sanitize(&input, ALL, &limits()),
        Err(UploadError::BadPdf(_))
    ));
}

#[test]
fn pdf_header_must_be_at_offset_zero() {
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend(minimal_pdf());
    assert_eq!(detect(&input), Detected::Unknown);
    let mut input = b"<html><script>x</script></html>\n".to_vec();
    input.extend(minimal_pdf());
    assert!(matches!(
        sanitize(&input, ALL, &limits()),
        Err(UploadError::Unrecognised)
    ));
}

// ---------------------------------------------------------------------------------------------
// Types, sizes, archives

fn tar() -> Vec<u8> {
    let mut t = vec![0u8; 1024];
    t[..8].copy_from_slice(b"file.txt");
    t[257..265].copy_from_slice(b"ustar\x0000");
    t
}

#[test]
fn archives_are_refused_by_kind() {
    let cases: [(&[u8], &str); 9] = [
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "zip"), // docx/xlsx
        (b"PK\x05\x06\0\0\0\0", "zip"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"BZh91AY&SY", "bzip2"),
        (b"\xfd7zXZ\x00\x00\x04", "xz"),
        (b"\x28\xb5\x2f\xfd\x24\x00", "zstd"),
        (b"MSCF\0\0\0\0", "cab"),
    ];
    for (bytes, kind) in cases {
        assert_eq!(detect(bytes), Detected::Archive(kind));
        match sanitize(bytes, ALL, &limits()) {
            Err(e @ UploadError::Archive(k)) => {
                assert_eq!(k, kind);
                assert_eq!(e.reason_code(), "archive");
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
    assert!(matches!(
        sanitize(&tar(), ALL, &limits()),
        Err(UploadError::Archive("tar"))
    ));
}

#[test]
fn unknown_files_are_unrecognised() {
    for bytes in [
        &b"GIF89a\x01\x00\x01\x00"[..],
        b"hello, world",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", // legacy .doc
        b"MZ\x90\x00",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\xff\xd8", // too short for JPEG
        b"\x89PNG",
        b"%PD",
    ] {
        assert_eq!(detect(bytes), Detected::Unknown);
        let e = sanitize(bytes, ALL, &limits()).unwrap_err();
        assert!(matches!(e, UploadError::Unrecognised), "{e:?}");
        assert_eq!(e.reason_code(), "unrecognised_type");
    }
}

#[test]
fn type_comes_from_content_only() {
    assert_eq!(detect(&small_jpeg(4, 4)), Detected::Jpeg);
    assert_eq!(detect(&small_png(4, 4)), Detected::Png);
    assert_eq!(detect(&minimal_pdf()), Detected::Pdf);
    assert_eq!(Detected::Jpeg.content_type(), Some("image/jpeg"));
    assert_eq!(Detected::Archive("zip").content_type(), None);
}

#[test]
fn type_must_be_allowed() {
    match sanitize(&small_png(4, 4), &["application/pdf"], &limits()) {
        Err(
            ref e @ UploadError::NotAllowed {
                ref detected,
                ref allowed,
            },
        ) => {
            assert_eq!(detected, "image/png");
            assert_eq!(allowed, &["application/pdf".to_owned()]);
            assert_eq!(e.reason_code(), "type_not_allowed");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        sanitize(&minimal_pdf(), &[], &limits()),
        Err(UploadError::NotAllowed { .. })
    ));
    // Wildcards and case.
    assert!(sanitize(&small_png(4, 4), &["image/*"], &limits()).is_ok());
    assert!(sanitize(&small_jpeg(4, 4), &["IMAGE/JPEG"], &limits()).is_ok());
    assert!(matches!(
        sanitize(&minimal_pdf(), &["image/*"], &limits()),
        Err(UploadError::NotAllowed { .. })
    ));
}

#[test]
fn size_is_checked_before_parsing() {
    let tiny = Limits {
        max_bytes: 10,
        ..limits()
    };
    match sanitize(&[0u8; 11], ALL, &tiny) {
        Err(e @ UploadError::TooLarge { size: 11, max: 10 }) => {
            assert_eq!(e.reason_code(), "too_large");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        sanitize(&small_png(4, 4), ALL, &tiny),
        Err(UploadError::TooLarge { .. })
    ));
    let e = sanitize(&[], ALL, &limits()).unwrap_err();
    assert!(matches!(e, UploadError::Empty));
    assert_eq!(e.reason_code(), "empty");
}

#[test]
fn reason_codes_are_distinct_snake_case() {
    let errors = [
        UploadError::TooLarge { size: 1, max: 0 },
        UploadError::Empty,
        UploadError::NotAllowed {
            detected: String::new(),
            allowed: vec![],
        },
        UploadError::Unrecognised,
        UploadError::Archive("zip"),
        UploadError::ImageTooLarge {
            width: 1,
            height: 1,
            max_pixels: 0,
        },
        UploadError::BadImage(String::new()),
        UploadError::BadPdf(String::new()),
        UploadError::ActivePdf(vec!["JavaScript"]),
    ];
    let codes: std::collections::BTreeSet<_> =
        errors.iter().map(UploadError::reason_code).collect();
    assert_eq!(codes.len(), errors.len());
    for code in codes {
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code}"
        );
    }
    assert_eq!(
        UploadError::ActivePdf(vec!["JavaScript", "OpenAction"]).to_string(),
        "the PDF contains active content (JavaScript, OpenAction); print it to a plain PDF and upload that"
    );
}

// ---------------------------------------------------------------------------------------------
// Storage

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Self(std::env::temp_dir().join(format!(
            "tirkeu-upload-{name}-{}-{nanos}",
            std::process::id()
        )))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn store_put_is_idempotent_and_get_round_trips() {
    let dir = TempDir::new("roundtrip");
    let store = DocumentStore::open(&dir.0.join("nested/docs")).unwrap();
    let doc = sanitize(&minimal_pdf(), ALL, &limits()).unwrap();
    store.put(&doc).await.unwrap();
    store.put(&doc).await.unwrap();
    let on_disk = dir
        .0
        .join("nested/docs/sha256")
        .join(&doc.sha256[..2])
        .join(&doc.sha256[2..]);
    assert_eq!(std::fs::read(on_disk).unwrap(), doc.bytes);
    assert_eq!(store.get(&doc.sha256).await.unwrap(), doc.bytes);
    assert_eq!(
        store.get(&doc.sha256.to_ascii_uppercase()).await.unwrap(),
        doc.bytes
    );
}

#[tokio::test]
async fn store_refuses_bad_keys_and_mismatched_hashes() {
    let dir = TempDir::new("refuse");
    let store = DocumentStore::open(&dir.0).unwrap();
    std::fs::write(dir.0.join("secret"), b"x").unwrap();
    for key in [
        "../../etc/passwd",
        "../secret",
        "",
        "sha256/ab/cd",
        &"a".repeat(63),
        &format!("{}/", "a".repeat(63)),
        &format!("..{}", "a".repeat(62)),
        &"g".repeat(64),
    ] {
        assert!(
            matches!(
                store.get(key).await,
                Err(object_store::Error::NotFound { .. })
            ),
            "{key}"
        );
    }
    assert!(matches!(
        store.get(&"0".repeat(64)).await,
        Err(object_store::Error::NotFound { .. })
    ));
    let mut doc = sanitize(&small_png(2, 2), ALL, &limits()).unwrap();
    doc.sha256 = "0".repeat(64);
    assert!(store.put(&doc).await.is_err());
}

// ---------------------------------------------------------------------------------------------
// Robustness

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sanitize_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = sanitize(&bytes, ALL, &limits());
    }

    #[test]
    fn sanitize_never_panics_after_magic(
        magic in prop::sample::select(vec![
            &b"\xff\xd8\xff"[..],
            b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00",
            b"\x89PNG\r\n\x1a\n",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
            b"%PDF-",
            b"%PDF-1.7\n1 0 obj\n<<",
        ]),
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&tail);
        let _ = sanitize(&bytes, ALL, &limits());
    }

    #[test]
    fn sanitize_never_panics_on_mutated_documents(
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = match which {
            0 => jpeg_with_exif(&small_jpeg(12, 8), 6),
            1 => small_png(9, 7),
            _ => minimal_pdf_with_catalog(" /OpenAction 5 0 R", &["<< /S /JavaScript /JS (x) >>"]),
        };
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len()) + 1);
        let _ = sanitize(&bytes, ALL, &limits());
    }

    #[test]
    fn sanitized_pdf_bytes_are_unchanged(padding in "[ a-z]{0,64}") {
        // Whatever passes for a PDF is stored exactly as uploaded.
        let input = minimal_pdf_with_catalog(&format!(" /Lang ({padding})"), &[]);
        let out = sanitize(&input, ALL, &limits()).unwrap();
        prop_assert_eq!(out.bytes, input);
    }
}
