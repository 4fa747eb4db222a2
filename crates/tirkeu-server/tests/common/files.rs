//! Small valid files the applicant's forms accept: a PDF, a PNG photo, and a passport's
//! machine-readable zone; shared by the HTTP tests and the browser tests.

#![allow(dead_code)] // each test binary uses some of these

/// A minimal well-formed PDF.
pub fn pdf() -> Vec<u8> {
    pdf_marked("")
}

/// A minimal well-formed PDF that differs by `n` (documents are kept by content hash: equal
/// files would all share one stored file).
pub fn unique_pdf(n: u64) -> Vec<u8> {
    pdf_marked(&format!("%unique {n}\n"))
}

fn pdf_marked(comment: &str) -> Vec<u8> {
    let mut out = format!("%PDF-1.4\n{comment}").into_bytes();
    let objs = [
        "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n",
    ];
    let mut offsets = Vec::new();
    for o in objs {
        offsets.push(out.len());
        out.extend_from_slice(o.as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer << /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

/// A small PNG photo.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 50, image::Rgb([200, 220, 240]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A small PNG whose pixels differ by `n` (images are re-encoded, so a comment would not do).
pub fn unique_png(n: u64) -> Vec<u8> {
    let [a, b, c, ..] = n.to_le_bytes();
    let img = image::RgbImage::from_fn(40, 50, |x, y| {
        if (x, y) == (0, 0) {
            image::Rgb([a, b, c])
        } else {
            image::Rgb([200, 220, 240])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The ICAO 9303 check digit of `s`, from the core's own computation.
fn check_digit(s: &str) -> char {
    char::from(b'0' + tirkeu_core::mrz::check_digit(s).expect("a zone field"))
}

/// A passport's machine-readable zone (TD3) for Anna Maria Eriksson of Germany, born
/// 1974-08-12, the passport (`number`, nine characters) valid until 2034-04-15. One open
/// application per passport and card type: a test applying twice uses two numbers.
pub fn mrz(number: &str) -> String {
    assert_eq!(number.len(), 9, "{number}");
    let line1 = format!("{:<<44}", "P<DEUERIKSSON<<ANNA<MARIA");
    let (birth, expiry, optional) = ("740812", "340415", "<<<<<<<<<<<<<<");
    let n = format!("{number}{}", check_digit(number));
    let b = format!("{birth}{}", check_digit(birth));
    let e = format!("{expiry}{}", check_digit(expiry));
    let o = format!("{optional}0");
    let composite = check_digit(&format!("{n}{b}{e}{o}"));
    let line2 = format!("{n}DEU{b}F{e}{o}{composite}");
    assert_eq!(line2.len(), 44);
    format!("{line1}\n{line2}")
}
