//! The few statistics the report needs, with no dependency: the Wilson score interval of a
//! proportion, Newcombe's hybrid Wilson interval of a difference of two proportions (both 95 %),
//! a mean and a median. Nothing here divides by zero: an empty sample has no estimate (`None`).

use serde::Serialize;

/// The normal quantile of a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// True when the interval lies entirely above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The 95 % Wilson score interval of `successes` out of `trials`; `None` without trials.
pub fn wilson(successes: u64, trials: u64) -> Option<Interval> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        estimate: p,
        low: (center - half).max(0.0),
        high: (center + half).min(1.0),
    })
}

/// The difference `b − a` of two proportions with Newcombe's hybrid Wilson 95 % interval
/// (method 10 of Newcombe, 1998); `None` when either side has no trials.
pub fn newcombe(a: (u64, u64), b: (u64, u64)) -> Option<Interval> {
    let a = wilson(a.0, a.1)?;
    let b = wilson(b.0, b.1)?;
    let difference = b.estimate - a.estimate;
    let below = ((b.estimate - b.low).powi(2) + (a.high - a.estimate).powi(2)).sqrt();
    let above = ((b.high - b.estimate).powi(2) + (a.estimate - a.low).powi(2)).sqrt();
    Some(Interval {
        estimate: difference,
        low: difference - below,
        high: difference + above,
    })
}

/// `part / whole`, or `None` when `whole` is 0.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The mean of the values, `None` when there are none.
pub fn mean(values: &[u32]) -> Option<f64> {
    let total: u64 = values.iter().map(|&value| u64::from(value)).sum();
    rate(total, values.len() as u64)
}

/// The median of the values (the mean of the middle two for an even count).
pub fn median<T: Copy + Into<f64>>(values: &[T]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().map(|&value| value.into()).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 5e-4, "{actual} ≠ {expected}");
    }

    #[test]
    fn wilson_matches_published_values() {
        let half = wilson(50, 100).expect("trials");
        close(half.low, 0.4038);
        close(half.high, 0.5962);
        // Newcombe (1998), table I: 81/263 and 15/148.
        let a = wilson(81, 263).expect("trials");
        close(a.low, 0.2553);
        close(a.high, 0.3662);
        let b = wilson(15, 148).expect("trials");
        close(b.low, 0.0624);
        close(b.high, 0.1605);
        let none = wilson(0, 10).expect("trials");
        close(none.low, 0.0);
        close(none.high, 0.2775);
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn newcombe_matches_the_published_example() {
        // Newcombe (1998), table II, example (a): 56/70 − 48/80 = 0.2, 95 % CI 0.0524 to 0.3339.
        let difference = newcombe((48, 80), (56, 70)).expect("trials");
        close(difference.estimate, 0.2);
        close(difference.low, 0.0524);
        close(difference.high, 0.3339);
        assert!(difference.excludes_zero());
        let reversed = newcombe((56, 70), (48, 80)).expect("trials");
        close(reversed.low, -0.3339);
        close(reversed.high, -0.0524);
        assert_eq!(newcombe((0, 0), (1, 2)), None);
    }

    #[test]
    fn no_figure_divides_by_zero() {
        assert_eq!(rate(1, 0), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(median::<u32>(&[]), None);
        assert_eq!(median(&[0.5, 0.25]), Some(0.375));
        assert_eq!(mean(&[2, 3, 7]), Some(4.0));
        assert_eq!(median(&[7, 2, 3]), Some(3.0));
        assert_eq!(median(&[4, 2, 3, 7]), Some(3.5));
    }
}
