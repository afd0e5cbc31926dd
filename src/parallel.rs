//! Work spread over the machine's cores, with results in input order, so
//! that output never depends on the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The most threads any stage uses: beyond that, merging costs more than
/// the work saves on inputs of realistic size.
const MAX_THREADS: usize = 8;

/// How many threads a stage may use: the cores available, at most
/// [`MAX_THREADS`]; `AIGW_THREADS` overrides it (1 makes a run sequential).
/// Found once per run: the standard library reads the cgroup CPU quota
/// files each time it is asked.
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::env::var("AIGW_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(MAX_THREADS)
    })
}

/// `(0..n).map(f)`, on up to `threads()` threads, each taking at least
/// `grain` items (thread start-up costs more than a few small items). Items
/// are handed out one at a time from a shared counter, so one large item
/// does not hold up the rest; the results are in index order. `threads` is
/// asked only when there is more than one thread's work: finding the
/// cores reads the cgroup files, a tenth of a one-file run's system time.
pub fn map<R: Send>(
    n: usize,
    threads: impl FnOnce() -> usize,
    grain: usize,
    f: impl Fn(usize) -> R + Sync,
) -> Vec<R> {
    let most = n / grain.max(1);
    let threads = if most <= 1 { 1 } else { threads().min(most) };
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for worker in workers {
            match worker.join() {
                Ok(part) => all.extend(part),
                // A panic is a bug: surface it as the panic it is.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// [`map`] over owned items: each item moves into `f` exactly once.
pub fn map_owned<T: Send, R: Send>(
    items: Vec<T>,
    grain: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    use std::sync::{Mutex, PoisonError};
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|o| Mutex::new(Some(o))).collect();
    map(slots.len(), threads, grain, |i| {
        slots
            .get(i)
            .and_then(|slot| slot.lock().unwrap_or_else(PoisonError::into_inner).take())
            .map(&f)
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_order_whatever_the_threads() {
        let squares: Vec<usize> = (0..1000).map(|i| i * i).collect();
        for threads in [1, 2, 3, 8] {
            for grain in [1, 10, 2000] {
                assert_eq!(map(1000, || threads, grain, |i| i * i), squares);
            }
        }
        assert_eq!(map(0, || 4, 1, |i| i), Vec::<usize>::new());
    }
}
