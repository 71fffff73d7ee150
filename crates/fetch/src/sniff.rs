//! Recognising audio and video containers by their first bytes, whatever
//! name or content type the server or uploader claimed.

/// How many leading bytes [`sniff`] is given; enough to look past a small
/// ID3 tag in front of a FLAC stream.
pub const SNIFF_LEN: usize = 4096;

/// An audio or video container talentd can transcribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// MPEG audio (ID3-tagged or bare frames).
    Mp3,
    /// ISO base media: mp4, m4a, mov, 3gp.
    Mp4,
    /// RIFF/RF64 WAVE.
    Wav,
    /// Ogg (Opus, Vorbis).
    Ogg,
    /// Matroska / WebM.
    Webm,
    /// Native FLAC.
    Flac,
}

impl MediaKind {
    /// A file extension for this kind, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaKind::Mp3 => "mp3",
            MediaKind::Mp4 => "mp4",
            MediaKind::Wav => "wav",
            MediaKind::Ogg => "ogg",
            MediaKind::Webm => "webm",
            MediaKind::Flac => "flac",
        }
    }

    /// The usual MIME type of this kind.
    pub fn mime(self) -> &'static str {
        match self {
            MediaKind::Mp3 => "audio/mpeg",
            MediaKind::Mp4 => "video/mp4",
            MediaKind::Wav => "audio/wav",
            MediaKind::Ogg => "audio/ogg",
            MediaKind::Webm => "video/webm",
            MediaKind::Flac => "audio/flac",
        }
    }
}

/// The container `head` (the first bytes of a file, ideally [`SNIFF_LEN`])
/// starts with, or `None` for anything else (HTML, JSON, text, images,
/// archives, truncated headers).
pub fn sniff(head: &[u8]) -> Option<MediaKind> {
    if let Some(after_tag) = id3_len(head) {
        // FLAC may carry an ID3 tag in front; otherwise ID3 means MP3.
        if head.get(after_tag..after_tag + 4) == Some(b"fLaC") {
            return Some(MediaKind::Flac);
        }
        return Some(MediaKind::Mp3);
    }
    if head.starts_with(b"fLaC") {
        return Some(MediaKind::Flac);
    }
    if head.starts_with(b"OggS") {
        return Some(MediaKind::Ogg);
    }
    if head.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        return Some(MediaKind::Webm);
    }
    if head.len() >= 12
        && matches!(&head[..4], b"RIFF" | b"RF64" | b"BW64")
        && &head[8..12] == b"WAVE"
    {
        return Some(MediaKind::Wav);
    }
    if is_iso_media(head) {
        return Some(MediaKind::Mp4);
    }
    if is_mpeg_audio_frame(head) {
        return Some(MediaKind::Mp3);
    }
    None
}

/// The length of a leading ID3v2 tag (header, body and footer), if `head`
/// starts with a well-formed tag header.
fn id3_len(head: &[u8]) -> Option<usize> {
    let h = head.get(..10)?;
    if &h[..3] != b"ID3" || h[3] == 0xff || h[4] == 0xff || h[6..10].iter().any(|b| b & 0x80 != 0) {
        return None;
    }
    // The size is "syncsafe": 7 bits per byte.
    let size = h[6..10]
        .iter()
        .fold(0usize, |acc, b| (acc << 7) | usize::from(*b));
    let footer = if h[5] & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// An ISO base media file: an `ftyp` box first (or, in old QuickTime
/// files, a `moov`/`mdat`/`wide`/`free` atom), but not the image formats
/// built on the same boxes (HEIF, AVIF).
fn is_iso_media(head: &[u8]) -> bool {
    let Some(h) = head.get(..12) else {
        return false;
    };
    match &h[4..8] {
        b"ftyp" => !matches!(
            &h[8..12],
            b"heic"
                | b"heix"
                | b"heim"
                | b"heis"
                | b"hevc"
                | b"hevx"
                | b"mif1"
                | b"msf1"
                | b"avif"
                | b"avis"
                | b"crx "
        ),
        b"moov" | b"mdat" | b"wide" | b"free" => {
            // The box size must at least cover its own header.
            u32::from_be_bytes([h[0], h[1], h[2], h[3]]) >= 8
        }
        _ => false,
    }
}

/// A valid MPEG-1/2/2.5 audio frame header (layers I-III) at the start:
/// 11 sync bits, a defined version and layer, and a usable bitrate and
/// sample-rate index. ADTS AAC (layer bits 00) is not MP3.
fn is_mpeg_audio_frame(head: &[u8]) -> bool {
    let Some(h) = head.get(..4) else {
        return false;
    };
    let sync = h[0] == 0xff && h[1] & 0xe0 == 0xe0;
    let version = (h[1] >> 3) & 0b11;
    let layer = (h[1] >> 1) & 0b11;
    let bitrate = h[2] >> 4;
    let rate = (h[2] >> 2) & 0b11;
    let emphasis = h[3] & 0b11;
    sync && version != 0b01 && layer != 0 && bitrate != 0b1111 && rate != 0b11 && emphasis != 0b10
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_box(kind: &[u8], brand: &[u8]) -> Vec<u8> {
        let mut v = vec![0, 0, 0, 0x20];
        v.extend_from_slice(kind);
        v.extend_from_slice(brand);
        v.extend_from_slice(&[0; 20]);
        v
    }

    #[test]
    fn recognises_containers() {
        assert_eq!(
            sniff(b"ID3\x04\x00\x00\x00\x00\x00\x0aTIT2"),
            Some(MediaKind::Mp3)
        );
        assert_eq!(sniff(&[0xff, 0xfb, 0x90, 0x64, 0, 0]), Some(MediaKind::Mp3));
        assert_eq!(sniff(&[0xff, 0xf3, 0x48, 0xc4]), Some(MediaKind::Mp3));
        assert_eq!(sniff(&with_box(b"ftyp", b"isom")), Some(MediaKind::Mp4));
        assert_eq!(sniff(&with_box(b"ftyp", b"M4A ")), Some(MediaKind::Mp4));
        assert_eq!(sniff(&with_box(b"ftyp", b"qt  ")), Some(MediaKind::Mp4));
        assert_eq!(sniff(&with_box(b"moov", b"\0\0\0\0")), Some(MediaKind::Mp4));
        assert_eq!(sniff(b"RIFF\x24\x08\x00\x00WAVEfmt "), Some(MediaKind::Wav));
        assert_eq!(sniff(b"RF64\xff\xff\xff\xffWAVEds64"), Some(MediaKind::Wav));
        assert_eq!(sniff(b"OggS\x00\x02\x00\x00"), Some(MediaKind::Ogg));
        assert_eq!(
            sniff(&[0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42]),
            Some(MediaKind::Webm)
        );
        assert_eq!(sniff(b"fLaC\x00\x00\x00\x22"), Some(MediaKind::Flac));
        // An ID3 tag of 5 bytes in front of a FLAC stream.
        assert_eq!(
            sniff(b"ID3\x03\x00\x00\x00\x00\x00\x05abcdefLaC\x00"),
            Some(MediaKind::Flac)
        );
    }

    #[test]
    fn rejects_everything_else() {
        let samples: [&[u8]; 16] = [
            b"",
            b"ID3",
            b"<!DOCTYPE html><html><body>Not here</body></html>",
            b"<html>",
            b"{\"error\": \"not found\"}",
            b"hello, this is plain text",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            &[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F'],
            b"GIF89a\x01\x00\x01\x00",
            b"RIFF\x24\x08\x00\x00WEBPVP8 ",
            b"RIFF\x24\x08\x00\x00AVI LIST",
            b"PK\x03\x04\x14\x00\x00\x00",
            b"%PDF-1.7\n",
            // ADTS AAC, bad bitrate index, reserved version.
            &[0xff, 0xf1, 0x50, 0x80],
            &[0xff, 0xfb, 0xf0, 0x00],
            &[0xff, 0xeb, 0x90, 0x00],
        ];
        for s in samples {
            assert_eq!(sniff(s), None, "{:?}", String::from_utf8_lossy(s));
        }
        assert_eq!(sniff(&with_box(b"ftyp", b"heic")), None);
        assert_eq!(sniff(&with_box(b"ftyp", b"avif")), None);
    }

    #[test]
    fn extensions() {
        assert_eq!(MediaKind::Mp3.extension(), "mp3");
        assert_eq!(MediaKind::Webm.extension(), "webm");
        assert_eq!(MediaKind::Flac.mime(), "audio/flac");
    }
}
