//! Lists read page by page as a [`Stream`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::envelope::next_page;
use super::error::Error;
use super::response::ApiResponse;

/// Which page the next request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageRequest {
    /// The first page: the call as the caller built it.
    First,
    /// The page with this number (page/per_page lists).
    Page(u64),
    /// The page after this cursor (cursor lists).
    Cursor(String),
}

/// The result of one page of a list: its items (a `null` list is an empty page).
#[doc(hidden)]
pub trait PageItems<T> {
    /// The page's items.
    fn into_items(self) -> Vec<T>;
}

impl<T> PageItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> PageItems<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

/// The pages of a list, fetched one at a time as the stream is polled.
///
/// It ends after the last page without asking for another when the page
/// says it was the last (with the API's envelope, its page information:
/// `total_pages`, `total_count`, or a `count` below `per_page`; for cursor
/// lists, no next cursor; without page information a list is one page);
/// otherwise it ends on an empty page. It also ends after yielding an error. Dropping it
/// stops it: nothing more is fetched.
pub struct Pages<'a, T> {
    inner: BoxStream<'a, Result<ApiResponse<Vec<T>>, Error>>,
}

/// The items of a list, across pages (see [`Pages`] for when it ends).
pub struct Items<'a, T> {
    inner: BoxStream<'a, Result<T, Error>>,
}

impl<'a, T: Send + 'a> Pages<'a, T> {
    /// A stream that yields `error` and ends (the request could not be built).
    pub(crate) fn failed(error: Error) -> Self {
        Pages { inner: futures_util::stream::once(async move { Err(error) }).boxed() }
    }

    /// The items of every page, in order.
    #[must_use]
    pub fn items(self) -> Items<'a, T> {
        let inner = self
            .inner
            .flat_map(|page| {
                let items: Vec<Result<T, Error>> = match page {
                    Ok(page) => page.into_result().into_iter().map(Ok).collect(),
                    Err(error) => vec![Err(error)],
                };
                futures_util::stream::iter(items)
            })
            .boxed();
        Items { inner }
    }
}

impl<T> Stream for Pages<'_, T> {
    type Item = Result<ApiResponse<Vec<T>>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Stream for Items<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// What the stream keeps between pages.
struct State<B, F> {
    builder: B,
    fetch: F,
    next: Option<PageRequest>,
    /// Items seen so far, to compare with `total_count`.
    seen: u64,
}

/// The pages of the list `builder` asks for. `fetch` sends one page: it gets
/// a clone of `builder` and the page to ask for, sets the page number or
/// cursor on it, and sends it. [`Pages::items`] flattens the pages to items.
pub(crate) fn pages<'a, B, T, F, Fut>(builder: B, fetch: F) -> Pages<'a, T>
where
    B: Clone + Send + 'a,
    T: Send + 'a,
    F: FnMut(B, PageRequest) -> Fut + Send + 'a,
    Fut: Future<Output = Result<ApiResponse<Vec<T>>, Error>> + Send + 'a,
{
    let state = State { builder, fetch, next: Some(PageRequest::First), seen: 0 };
    let inner = futures_util::stream::unfold(state, |mut state| async move {
        let request = state.next.take()?;
        let page = (state.fetch)(state.builder.clone(), request.clone()).await;
        if let Ok(page) = &page {
            let count = page.result().len() as u64;
            state.seen = state.seen.saturating_add(count);
            state.next = next_page(page, &request, count, state.seen);
        }
        Some((page, state))
    })
    .boxed();
    Pages { inner }
}
