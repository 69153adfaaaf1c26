//! A response body read as the caller pulls it, for large binary responses.

use std::fmt;

use bytes::Bytes;
use futures_core::Stream;

use super::error::Error;
use super::request::transport_error;

/// The body of a success response, not yet read: pull it chunk by chunk with
/// [`chunk`](Self::chunk), or as a [`Stream`] with
/// [`into_stream`](Self::into_stream). Nothing is buffered beyond one chunk,
/// and the client's response size limit does not apply. The call's timeout
/// still bounds the whole download; raise it per call for large files.
pub struct Download {
    source: Source,
}

enum Source {
    Network(reqwest::Response),
    /// A body that was already read (nothing left to stream).
    Buffered(Option<Bytes>),
}

impl Download {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Download { source: Source::Network(response) }
    }

    pub(crate) fn buffered(body: Vec<u8>) -> Self {
        Download { source: Source::Buffered(Some(body.into())) }
    }

    /// The length the server announced, if it did (and the body is not
    /// being decompressed).
    #[must_use]
    pub fn content_length(&self) -> Option<u64> {
        match &self.source {
            Source::Network(response) => response.content_length(),
            Source::Buffered(body) => body.as_ref().map(|body| body.len() as u64),
        }
    }

    /// The next chunk of the body, or `None` at its end.
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] or [`Error::Transport`] if reading fails.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match &mut self.source {
            Source::Network(response) => response.chunk().await.map_err(transport_error),
            Source::Buffered(body) => Ok(body.take().filter(|body| !body.is_empty())),
        }
    }

    /// The rest of the body as a stream of chunks.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send + Unpin {
        Box::pin(futures_util::stream::unfold(Some(self), |download| async move {
            let mut download = download?;
            match download.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(download))),
                Ok(None) => None,
                // Stop after an error: the connection is in an unknown state.
                Err(error) => Some((Err(error), None)),
            }
        }))
    }

    /// Reads the rest of the body into memory.
    ///
    /// # Errors
    ///
    /// As [`chunk`](Self::chunk).
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}
