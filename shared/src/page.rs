//! Pagination shared by every list.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The same page with each item mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), total: self.total, page: self.page, per_page: self.per_page }
    }
    /// One page of `all` (every row in order), or all of them as one page when `page` is None.
    pub fn cut(mut all: Vec<T>, page: Option<PageRequest>) -> Page<T> {
        let total = all.len() as u64;
        match page {
            None => {
                let per_page = u32::try_from(all.len()).unwrap_or(u32::MAX).max(1);
                Page { items: all, total, page: 1, per_page }
            }
            Some(p) => {
                let start = usize::try_from(p.offset()).unwrap_or(usize::MAX).min(all.len());
                let end = start.saturating_add(p.per_page as usize).min(all.len());
                all.truncate(end);
                all.drain(..start);
                Page { items: all, total, page: p.page, per_page: p.per_page }
            }
        }
    }

    pub fn page_count(&self) -> u32 {
        if self.total == 0 {
            1
        } else {
            self.total.div_ceil(u64::from(self.per_page)).min(u64::from(u32::MAX)) as u32
        }
    }
    pub fn has_next(&self) -> bool {
        self.page < self.page_count()
    }
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
}

/// A 1-based page request, clamped to sane bounds so no input can ask for a million rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        PageRequest { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE) }
    }
    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::new(None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_cut_into_pages() {
        let all: Vec<u32> = (1..=7).collect();
        let p = Page::cut(all.clone(), Some(PageRequest::new(Some(2), Some(3))));
        assert_eq!((p.items, p.total, p.page, p.per_page), (vec![4, 5, 6], 7, 2, 3));
        assert_eq!(Page::cut(all.clone(), Some(PageRequest::new(Some(3), Some(3)))).items, vec![7]);
        assert!(Page::cut(all.clone(), Some(PageRequest::new(Some(9), Some(3)))).items.is_empty());
        let whole = Page::cut(all.clone(), None);
        assert_eq!((whole.page_count(), whole.total, whole.items), (1, 7, all));
        assert_eq!(Page::cut(Vec::<u32>::new(), None).page_count(), 1);
    }
    use proptest::prelude::*;

    #[test]
    fn defaults_and_clamps() {
        let p = PageRequest::new(None, None);
        assert_eq!((p.page, p.per_page, p.offset()), (1, DEFAULT_PER_PAGE, 0));
        let p = PageRequest::new(Some(0), Some(10_000));
        assert_eq!((p.page, p.per_page), (1, MAX_PER_PAGE));
        assert_eq!(PageRequest::new(Some(3), Some(10)).offset(), 20);
    }

    #[test]
    fn page_count() {
        let p = Page::<u8> { items: vec![], total: 51, page: 1, per_page: 25 };
        assert_eq!(p.page_count(), 3);
        assert!(p.has_next() && !p.has_prev());
        let empty = Page::<u8> { items: vec![], total: 0, page: 1, per_page: 25 };
        assert_eq!(empty.page_count(), 1);
        assert!(!empty.has_next());
    }

    proptest! {
        #[test]
        fn any_request_is_in_bounds(page in proptest::option::of(any::<u32>()), per in proptest::option::of(any::<u32>())) {
            let p = PageRequest::new(page, per);
            prop_assert!(p.page >= 1);
            prop_assert!((1..=MAX_PER_PAGE).contains(&p.per_page));
            let _ = p.offset(); // never overflows: u32 * u32 fits in u64
        }
    }
}
