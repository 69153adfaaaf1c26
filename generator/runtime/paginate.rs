//! Lists read page by page as a [`Stream`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

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
/// It ends after the last page without asking for another when the
/// `result_info` says it was the last (`total_pages`, `total_count`, or a
/// `count` below `per_page`; for cursor lists, no next cursor); otherwise it
/// ends on an empty page. It also ends after yielding an error. Dropping it
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

/// The page after `page` (fetched with `request`, holding `count` items,
/// `seen` items so far), or `None` if it was the last.
fn next_page<T>(page: &ApiResponse<T>, request: &PageRequest, count: u64, seen: u64) -> Option<PageRequest> {
    if count == 0 {
        return None;
    }
    let info = page.result_info()?;
    if let Some(cursor) = &info.cursor {
        // The same cursor again would loop forever.
        return (request != &PageRequest::Cursor(cursor.clone())).then(|| PageRequest::Cursor(cursor.clone()));
    }
    if matches!(request, PageRequest::Cursor(_)) {
        return None;
    }
    let current = match request {
        // A server that answers another page than the one asked for ignores `page`: asking for
        // the next would bring the same items again.
        PageRequest::Page(number) if info.page.is_some_and(|answered| answered != *number) => return None,
        PageRequest::Page(number) => *number,
        _ => info.page.unwrap_or(1),
    };
    let last = info.total_pages.is_some_and(|total| current >= total)
        || info.total_count.is_some_and(|total| seen >= total)
        || matches!((info.count, info.per_page), (Some(count), Some(per_page)) if count < per_page);
    (!last).then(|| PageRequest::Page(current.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::response::ResultInfo;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    fn page(info: Option<ResultInfo>) -> ApiResponse<()> {
        ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            messages: Vec::new(),
            result_info: info,
            body: Vec::new(),
            result: (),
        }
    }

    fn info(page: u64, per_page: u64, count: u64) -> ResultInfo {
        ResultInfo { page: Some(page), per_page: Some(per_page), count: Some(count), ..ResultInfo::default() }
    }

    #[test]
    fn when_a_page_is_the_last() {
        let first = PageRequest::First;
        let p = PageRequest::Page;
        // No result_info: a list that is not paged.
        assert_eq!(next_page(&page(None), &first, 3, 3), None);
        // An empty page ends it.
        assert_eq!(next_page(&page(Some(info(1, 20, 0))), &first, 0, 0), None);
        // Nothing says it is the last: ask for the next one.
        assert_eq!(next_page(&page(Some(info(1, 20, 20))), &first, 20, 20), Some(p(2)));
        // A short page is the last.
        assert_eq!(next_page(&page(Some(info(3, 20, 7))), &p(3), 7, 47), None);
        // total_pages.
        let mut last = info(3, 20, 20);
        last.total_pages = Some(3);
        assert_eq!(next_page(&page(Some(last.clone())), &p(3), 20, 60), None);
        last.total_pages = Some(4);
        assert_eq!(next_page(&page(Some(last)), &p(3), 20, 60), Some(p(4)));
        // total_count, counted over the items seen.
        let mut counted = info(2, 20, 20);
        counted.total_count = Some(40);
        assert_eq!(next_page(&page(Some(counted.clone())), &p(2), 20, 40), None);
        assert_eq!(next_page(&page(Some(counted)), &p(2), 20, 39), Some(p(3)));
        // A server that ignores `page` answers page 1 again: no third request for the same items.
        assert_eq!(next_page(&page(Some(info(1, 20, 20))), &p(2), 20, 40), None);
    }

    #[test]
    fn cursor_lists() {
        let cursor = |c: &str| ResultInfo { cursor: Some(c.to_owned()), per_page: Some(2), ..ResultInfo::default() };
        let next = next_page(&page(Some(cursor("c1"))), &PageRequest::First, 2, 2);
        assert_eq!(next, Some(PageRequest::Cursor("c1".to_owned())));
        let same = next_page(&page(Some(cursor("c1"))), &PageRequest::Cursor("c1".to_owned()), 2, 4);
        assert_eq!(same, None, "a repeated cursor would loop");
        let end = ResultInfo { per_page: Some(2), ..ResultInfo::default() };
        assert_eq!(next_page(&page(Some(end)), &PageRequest::Cursor("c1".to_owned()), 2, 4), None);
    }
}
