//! One function over many jobs, on every core: the loader's files, the generator's
//! connectors and xtask's comparison of the output with the disk all run this way.
//!
//! Scoped threads take the next job from a shared counter, so a long job never holds up the
//! others (a caller that wants the long ones first orders its jobs). Each thread keeps state of
//! its own (a reused buffer). A job that panics (a bug) loses only its own result, which is
//! `None`, as is the result of every job when no thread can be started.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How the threads are made.
#[derive(Debug, Clone, Default)]
pub struct Workers {
    /// At most this many threads (`None`: one per core); never more than there are jobs.
    pub count: Option<usize>,
    /// Each thread's name.
    pub name: Option<&'static str>,
    /// Each thread's stack size (`None`: the standard library's default).
    pub stack_bytes: Option<usize>,
}

/// `run(&mut state, i)` for every `i` in `0..jobs`, taken in order by the threads `workers`
/// describes, each with its `state` from `init`. The results come back in job order.
pub fn run_all<S, R: Send>(
    jobs: usize,
    workers: &Workers,
    init: impl Fn() -> S + Sync,
    run: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<Option<R>> {
    let threads = workers
        .count
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, jobs.max(1));
    let next = AtomicUsize::new(0);
    let results = Mutex::new((0..jobs).map(|_| None).collect::<Vec<_>>());
    let work = || {
        let mut state = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= jobs {
                break;
            }
            // A job that panics (a bug) is the only one lost: the thread goes on with the next,
            // so on one core the rest still run.
            let Ok(result) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&mut state, i)))
            else {
                continue;
            };
            let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
            results[i] = Some(result);
        }
    };
    if threads == 1 && workers.stack_bytes.is_none() {
        // No thread to start: the caller's runs the jobs.
        work();
        return results.into_inner().unwrap_or_else(|e| e.into_inner());
    }
    std::thread::scope(|scope| {
        let mut started = Vec::with_capacity(threads);
        for _ in 0..threads {
            let mut builder = std::thread::Builder::new();
            if let Some(name) = workers.name {
                builder = builder.name(name.to_owned());
            }
            if let Some(bytes) = workers.stack_bytes {
                builder = builder.stack_size(bytes);
            }
            // A thread that cannot be started leaves its jobs to the others; if none starts,
            // every result is `None` and the caller reports it.
            started.extend(builder.spawn_scoped(scope, work).ok());
        }
        // Joined here, so nothing a thread did can panic the scope.
        for thread in started {
            let _ = thread.join();
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::{Workers, run_all};

    #[test]
    fn every_job_runs_once_and_results_keep_job_order() {
        let workers = Workers {
            count: Some(3),
            ..Workers::default()
        };
        let results = run_all(100, &workers, Vec::new, |seen: &mut Vec<usize>, i| {
            seen.push(i);
            i * 2
        });
        assert_eq!(results, (0..100).map(|i| Some(i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_job_loses_only_its_own_result() {
        // One worker on the caller's thread, one spawned, two spawned with a stack size.
        for (count, stack_bytes) in [(1, None), (1, Some(1 << 20)), (2, Some(1 << 20))] {
            let workers = Workers {
                count: Some(count),
                name: Some("test-worker"),
                stack_bytes,
            };
            let results = run_all(
                20,
                &workers,
                || (),
                |(), i| {
                    if i % 7 == 3 {
                        panic!("job {i} fails");
                    }
                    i
                },
            );
            for (i, result) in results.iter().enumerate() {
                assert_eq!(
                    *result,
                    (i % 7 != 3).then_some(i),
                    "job {i}, {count} workers"
                );
            }
        }
    }

    #[test]
    fn one_worker_runs_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let workers = Workers {
            count: Some(1),
            ..Workers::default()
        };
        let results = run_all(3, &workers, || (), |(), _| std::thread::current().id());
        assert!(results.iter().all(|r| *r == Some(caller)));
    }

    #[test]
    fn no_jobs_gives_no_results() {
        let results: Vec<Option<()>> = run_all(0, &Workers::default(), || (), |(), _| ());
        assert!(results.is_empty());
    }
}
