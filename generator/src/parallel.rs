//! A parallel map over `0..count` on scoped threads, one per core (at most one per item), and a
//! join of two closures. Results come back in index order, so output never depends on which
//! thread ran what.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `(0..count).map(f).collect()`, with `f` run on several threads.
pub fn map<T: Send>(count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(count);
    if threads <= 1 {
        return (0..count).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            spawn(scope, || {
                let mut done = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    done.push((index, f(index)));
                }
                results.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(done);
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, value)| value).collect()
}

/// `(a(), b())`, with `a` run on another thread while `b` runs on this one.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let a = spawn(scope, a);
        let b = b();
        // A panic in `a` is a bug: it is passed on as it is.
        (a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), b)
    })
}

/// The stack of a worker thread: a main thread's usual 8 MiB rather than a spawned thread's
/// 2 MiB, since the recursive stages go as deep on any thread (documents nest up to 128 levels).
const STACK_SIZE: usize = 8 << 20;

fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    // Only fails when the operating system refuses a thread, which leaves nothing to do.
    std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(scope, f).expect("a worker thread starts")
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_index_order() {
        let squares = super::map(1000, |i| i * i);
        assert_eq!(squares, (0..1000).map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map(0, |i| i).is_empty());
        assert_eq!(super::map(1, |i| i + 1), [1]);
    }

    #[test]
    fn join_returns_both_results() {
        assert_eq!(super::join(|| 1 + 1, || "b"), (2, "b"));
    }
}
