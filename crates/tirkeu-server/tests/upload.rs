//! Upload sanitising: type detection, metadata stripping, bombs, active PDFs, storage.

mod forge;

use std::io::Cursor;
use std::time::{Duration, Instant};

use forge::*;
use image::ImageDecoder;
use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::metadata::Orientation;
use proptest::prelude::*;
use sha2::Digest;
use tirkeu_server::upload::{
    Detected, DocumentStore, Limits, SanitizeGate, Sanitized, UploadError, detect, sanitize,
};

const ALL: &[&str] = &["image/jpeg", "image/png", "application/pdf"];

fn limits() -> Limits {
    Limits::default()
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

/// Issue 11: an associated file (`/AF`) whose file specification carries the file in `/EF`,
/// with no `/Type /EmbeddedFile` anywhere, was accepted.
#[test]
fn associated_file_without_embedded_file_type_is_refused() {
    let input = minimal_pdf_with_catalog(
        " /AF [5 0 R]",
        &[
            "<< /Type /Filespec /F (invoice.xml) /AFRelationship /Data /EF << /F 6 0 R >> >>",
            "<< /Length 5 >>\nstream\n<x/>\n\nendstream",
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

#[test]
fn every_active_name_is_refused_plain() {
    for (name, label, object) in ACTIVE_CASES {
        let object = object.replace("{}", name);
        let input = minimal_pdf_with_catalog(" /Extra 5 0 R", &[&object]);
        assert_eq!(
            active(sanitize(&input, ALL, &limits())),
            [*label],
            "{object}"
        );
    }
}

#[test]
fn every_active_name_is_refused_escaped() {
    for (name, label, object) in ACTIVE_CASES {
        let object = object.replace("{}", &escaped(name));
        let input = minimal_pdf_with_catalog(" /Extra 5 0 R", &[&object]);
        assert!(
            !contains(&input, format!("/{name} ").as_bytes()),
            "{object}"
        );
        assert_eq!(
            active(sanitize(&input, ALL, &limits())),
            [*label],
            "{object}"
        );
    }
}

#[test]
fn every_active_name_is_refused_in_a_compressed_object_stream() {
    for (name, label, object) in ACTIVE_CASES {
        for spelling in [(*name).to_owned(), escaped(name)] {
            let object = object.replace("{}", &spelling);
            let input = pdf_with_object_stream_as(" /Extra 4 0 R", &object, true);
            assert!(
                !contains(&input, format!("/{spelling}").as_bytes()),
                "not compressed: {object}"
            );
            assert_eq!(
                active(sanitize(&input, ALL, &limits())),
                [*label],
                "{object}"
            );
        }
    }
}

#[test]
fn every_active_name_is_refused_in_an_object_stream_no_xref_lists() {
    // Only the byte scan sees this one: the parser follows the xref.
    for (name, label, object) in ACTIVE_CASES {
        for spelling in [(*name).to_owned(), escaped(name)] {
            let object = object.replace("{}", &spelling);
            let input = with_orphan(minimal_pdf(), &orphan_object_stream(&object));
            assert_eq!(
                active(sanitize(&input, ALL, &limits())),
                [*label],
                "{object}"
            );
        }
    }
}

#[test]
fn clean_compressed_object_streams_pass() {
    let clean = pdf_with_object_stream_as(
        " /Extra 4 0 R",
        "<< /S /URI /URI (https://egov.kz) >>",
        true,
    );
    assert_eq!(sanitize(&clean, ALL, &limits()).unwrap().bytes, clean);
    let orphan = with_orphan(minimal_pdf(), &orphan_object_stream("<< /Producer (x) >>"));
    assert_eq!(sanitize(&orphan, ALL, &limits()).unwrap().bytes, orphan);
}

#[test]
fn object_streams_that_cannot_be_inspected_are_refused() {
    // Not zlib, an unknown filter, and a predictor: what the byte scan cannot read is refused,
    // not waved through.
    let broken = b"9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length 8 >>\nstream\nnot zlib\nendstream\nendobj\n";
    let lzw = b"9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /LZWDecode /Length 3 >>\nstream\nabc\nendstream\nendobj\n";
    let mut predicted = b"9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> >>\nstream\n".to_vec();
    predicted.extend(zlib(b"10 0 << >>"));
    predicted.extend_from_slice(b"\nendstream\nendobj\n");
    for object in [&broken[..], lzw, &predicted] {
        let input = with_orphan(minimal_pdf(), object);
        match sanitize(&input, ALL, &limits()) {
            Err(UploadError::BadPdf(_)) => {}
            other => panic!("{}: {other:?}", String::from_utf8_lossy(object)),
        }
    }
}

#[test]
fn object_stream_inflation_is_bounded() {
    // 64 MiB of zeros in 70 KB: over a 16 MiB allowance, the file is refused, not inflated.
    let small = Limits {
        max_alloc: 16 * 1024 * 1024,
        ..limits()
    };
    let zeros = zlib(&vec![b' '; 64 * 1024 * 1024]);
    let mut object = format!(
        "9 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length {} >>\nstream\n",
        zeros.len()
    )
    .into_bytes();
    object.extend(zeros);
    object.extend_from_slice(b"\nendstream\nendobj\n");
    let input = with_orphan(minimal_pdf(), &object);
    match sanitize(&input, ALL, &small) {
        Err(UploadError::BadPdf(detail)) => assert!(detail.contains("limit"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn open_action_with_a_destination_is_not_active() {
    // What word processors write: open at page 1. Only an action there is refused.
    let input = minimal_pdf_with_catalog(" /OpenAction [3 0 R /XYZ null null 0]", &[]);
    assert_eq!(sanitize(&input, ALL, &limits()).unwrap().bytes, input);
    let input = pdf_with_object_stream_as(" /OpenAction [3 0 R /Fit]", "<< >>", true);
    assert_eq!(sanitize(&input, ALL, &limits()).unwrap().bytes, input);
    let input = minimal_pdf_with_catalog(" /OpenAction 5 0 R", &["[3 0 R /Fit]"]);
    assert_eq!(active(sanitize(&input, ALL, &limits())), ["OpenAction"]);
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
    let orphan = b"9 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n";
    let input = with_orphan(minimal_pdf(), orphan);
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
    let input = encrypted_pdf();
    assert!(matches!(
        sanitize(&input, ALL, &limits()),
        Err(UploadError::BadPdf(_))
    ));
}

#[test]
fn pdfs_that_are_also_another_file_are_refused() {
    // A ZIP appended, or hidden inside with `%%EOF` in its comment: its end record is found.
    let jar = zip("Exploit.class", b"\xca\xfe\xba\xbe", b"");
    let appended = [minimal_pdf(), jar].concat();
    assert!(matches!(
        sanitize(&appended, ALL, &limits()),
        Err(UploadError::Archive("zip"))
    ));
    let pdf = minimal_pdf();
    let inside = [&pdf[..pdf.len() - 6], &zip("a.txt", b"x", b"\n%%EOF\n")].concat();
    assert!(matches!(
        sanitize(&inside, ALL, &limits()),
        Err(UploadError::Archive("zip"))
    ));
    // Anything but whitespace after the last %%EOF.
    let html = [minimal_pdf(), b"<script>alert(1)</script>".to_vec()].concat();
    match sanitize(&html, ALL, &limits()) {
        Err(UploadError::BadPdf(detail)) => assert!(detail.contains("after the end"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let padded = [minimal_pdf(), b"\r\n\0\0  \n".to_vec()].concat();
    assert_eq!(sanitize(&padded, ALL, &limits()).unwrap().bytes, padded);
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
// Concurrency

/// Issue 11: image decoding had no cap (three 40-megapixel PNGs at once doubled the server's
/// memory). Six uploads at once through a gate of two: all six are sanitised (they wait,
/// none is refused), and never more than two at the same moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn at_most_the_cap_is_sanitised_at_once_and_the_rest_wait() {
    let png = small_png(1000, 1000);
    let run = |gate: SanitizeGate| {
        let png = png.clone();
        async move {
            let tasks: Vec<_> = (0..6)
                .map(|_| {
                    let (gate, png) = (gate.clone(), png.clone());
                    tokio::spawn(
                        async move { gate.sanitize(png, vec!["image/png"], limits()).await },
                    )
                })
                .collect();
            for t in tasks {
                let out = t.await.unwrap().unwrap().unwrap();
                assert_eq!(out.content_type, "image/png");
            }
            gate.peak()
        }
    };
    let gate = SanitizeGate::new(2);
    assert_eq!(gate.cap(), 2);
    assert_eq!(run(gate).await, 2);
    // The counter sees what the gate prevents: as wide as the load, more run at once.
    assert!(run(SanitizeGate::new(6)).await > 2);
    assert!(SanitizeGate::per_core().cap() >= 1);
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
