//! `multipart/form-data` request bodies.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderValue;

use super::retry::random_u64;

/// A `multipart/form-data` body: named text fields and files, sent with a
/// random boundary that occurs in none of the parts.
///
/// The body is built in memory, so a request that is retried sends it again
/// unchanged. `Debug` shows part names, file names and sizes, not contents.
///
/// ```ignore
/// let form = Multipart::new()
///     .text("metadata", r#"{"main_module":"worker.js"}"#)
///     .file("worker.js", "worker.js", "application/javascript+module", script_bytes);
/// ```
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    #[must_use]
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(name.into(), None, None, Bytes::from(value.into()))
    }

    /// Adds a file: its field name, file name, media type and contents.
    #[must_use]
    pub fn file(
        self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.with(name.into(), Some(filename.into()), Some(content_type.into()), data.into())
    }

    /// Adds a field with bytes and a media type but no file name (a JSON
    /// `metadata` part, for example).
    #[must_use]
    pub fn bytes(
        self,
        name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.with(name.into(), None, Some(content_type.into()), data.into())
    }

    fn with(mut self, name: String, filename: Option<String>, content_type: Option<String>, data: Bytes) -> Self {
        self.parts.push(Part { name, filename, content_type, data });
        self
    }

    /// The `Content-Type` header (with the boundary) and the encoded body.
    pub(crate) fn encode(&self) -> (HeaderValue, Bytes) {
        let boundary = self.boundary();
        let mut body = Vec::with_capacity(self.parts.iter().map(|part| part.data.len() + 160).sum());
        for part in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            body.extend_from_slice(escape_quoted(&part.name).as_bytes());
            body.push(b'"');
            if let Some(filename) = &part.filename {
                body.extend_from_slice(b"; filename=\"");
                body.extend_from_slice(escape_quoted(filename).as_bytes());
                body.push(b'"');
            }
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(b"\r\nContent-Type: ");
                // A media type has no business holding control characters; they would end the header.
                let clean: String = content_type.chars().filter(|c| !c.is_control()).collect();
                body.extend_from_slice(clean.as_bytes());
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
            .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
        (content_type, body.into())
    }

    /// A random boundary that none of the parts contains.
    fn boundary(&self) -> String {
        loop {
            let candidate = format!("----form-boundary-{:016x}{:016x}", random_u64(), random_u64());
            let found = self.parts.iter().any(|part| {
                part.data.windows(candidate.len()).any(|window| window == candidate.as_bytes())
            });
            if !found {
                return candidate;
            }
        }
    }
}

/// A name or file name inside a quoted header parameter: `"`, CR and LF are
/// percent-encoded, as browsers do, so a name cannot end the header.
fn escape_quoted(value: &str) -> String {
    value.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for part in &self.parts {
            list.entry(&format_args!(
                "{:?} (file {:?}, {} bytes)",
                part.name,
                part.filename,
                part.data.len()
            ));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_and_files_with_a_fresh_boundary() {
        let form = Multipart::new()
            .text("metadata", "{\"a\":1}")
            .file("script", "w\"x\r\n.js", "application/javascript\r\nX: 1", b"export {}".to_vec());
        let (content_type, body) = form.encode();
        let content_type = content_type.to_str().unwrap().to_owned();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{{\"a\":1}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"script\"; filename=\"w%22x%0D%0A.js\"\r\n\
             Content-Type: application/javascriptX: 1\r\n\r\nexport {{}}\r\n--{boundary}--\r\n"
        );
        assert_eq!(body, expected);
        assert_ne!(form.encode().0.to_str().unwrap(), content_type, "each encoding picks a new boundary");
        let debug = format!("{form:?}");
        assert!(debug.contains("metadata") && !debug.contains("export"), "{debug}");
    }

    #[test]
    fn empty_form_is_just_the_closing_boundary() {
        let (content_type, body) = Multipart::new().encode();
        let boundary = content_type.to_str().unwrap().rsplit('=').next().unwrap().to_owned();
        assert_eq!(body, format!("--{boundary}--\r\n").into_bytes());
    }
}
