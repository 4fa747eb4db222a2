//! Images: dimensions read before any decoder exists, then decoded within limits and
//! re-encoded without metadata.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};

use super::{JPEG_QUALITY, Limits, UploadError};

#[derive(Clone, Copy)]
pub(super) enum ImageKind {
    Jpeg,
    Png,
}

pub(super) fn sanitize_image(
    bytes: &[u8],
    kind: ImageKind,
    limits: &Limits,
) -> Result<Vec<u8>, UploadError> {
    let (width, height) = match kind {
        ImageKind::Png => png_dimensions(bytes),
        ImageKind::Jpeg => jpeg_dimensions(bytes),
    }
    .ok_or_else(|| UploadError::BadImage("no image dimensions in the header".into()))?;
    check_pixels(width, height, limits)?;

    // A single side can never exceed max_pixels (the other side is at least 1).
    let side = u32::try_from(limits.max_pixels).unwrap_or(u32::MAX);
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(side);
    decoder_limits.max_image_height = Some(side);
    decoder_limits.max_alloc = Some(limits.max_alloc);

    let too_large = |e: ImageError, (width, height): (u32, u32)| match e {
        ImageError::Limits(_) => UploadError::ImageTooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
        },
        other => UploadError::BadImage(other.to_string()),
    };

    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match kind {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
    });
    reader.limits(decoder_limits.clone());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| too_large(e, (width, height)))?;
    // The decoder's view is the one that counts, should our header reading ever disagree.
    let dims = decoder.dimensions();
    check_pixels(dims.0, dims.1, limits)?;
    // `into_decoder` does not count the output buffer against `max_alloc` (only
    // `ImageReader::decode` does, and it cannot give us the orientation): reserve it here.
    let mut remaining = decoder_limits;
    remaining
        .reserve(decoder.total_bytes())
        .and_then(|()| decoder.set_limits(remaining))
        .map_err(|e| too_large(e, dims))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| too_large(e, dims))?;
    img.apply_orientation(orientation);

    let mut out = Vec::new();
    let encoded = match kind {
        ImageKind::Png => {
            let img = match img {
                DynamicImage::ImageLuma8(_)
                | DynamicImage::ImageLumaA8(_)
                | DynamicImage::ImageRgb8(_)
                | DynamicImage::ImageRgba8(_)
                | DynamicImage::ImageLuma16(_)
                | DynamicImage::ImageLumaA16(_)
                | DynamicImage::ImageRgb16(_)
                | DynamicImage::ImageRgba16(_) => img,
                other => DynamicImage::ImageRgba8(other.to_rgba8()),
            };
            img.write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                FilterType::Adaptive,
            ))
        }
        ImageKind::Jpeg => {
            // The JPEG encoder takes grey or RGB only.
            let img = match img {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => img,
                other => DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
    };
    encoded.map_err(|e| UploadError::BadImage(format!("re-encoding failed: {e}")))?;
    Ok(out)
}

fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), UploadError> {
    if width == 0 || height == 0 {
        return Err(UploadError::BadImage(format!(
            "the image declares {width}×{height} pixels"
        )));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(UploadError::ImageTooLarge {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(())
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Width and height from the PNG `IHDR` chunk, which must come first.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be_u32(bytes, 16)?, be_u32(bytes, 20)?))
}

/// Width and height from the first JPEG start-of-frame segment.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2; // after SOI
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        i += 2;
        match marker {
            0xFF => i -= 1, // fill byte: the next 0xFF starts the marker
            0x01 | 0xD0..=0xD8 => {}
            0xD9 | 0xDA => return None, // end of image or scan data before any frame header
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                // length(2) precision(1) height(2) width(2)
                let height = be_u16(bytes, i + 3)?;
                let width = be_u16(bytes, i + 5)?;
                return Some((u32::from(width), u32::from(height)));
            }
            _ => {
                let len = usize::from(be_u16(bytes, i)?);
                if len < 2 {
                    return None;
                }
                i += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::PNG_MAGIC;

    #[test]
    fn jpeg_dimensions_walk_segments() {
        let mut jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xff\xc2\x00\x0b\x08".to_vec();
        jpeg.extend_from_slice(&[0x01, 0x2c, 0x02, 0x58]); // height 300, width 600
        assert_eq!(jpeg_dimensions(&jpeg), Some((600, 300)));
        // DHT (C4) is not a frame header; SOS before any frame means none.
        assert_eq!(jpeg_dimensions(b"\xff\xd8\xff\xc4\x00\x02\xff\xda"), None);
        assert_eq!(jpeg_dimensions(b"\xff\xd8\xff\xe0\x00\x01"), None);
        assert_eq!(jpeg_dimensions(b"\xff\xd8"), None);
    }

    #[test]
    fn png_dimensions_need_ihdr_first() {
        let mut png = PNG_MAGIC.to_vec();
        png.extend_from_slice(b"\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x00\x80");
        assert_eq!(png_dimensions(&png), Some((256, 128)));
        png[12] = b'i';
        assert_eq!(png_dimensions(&png), None);
    }
}
