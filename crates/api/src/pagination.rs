//! `limit` and `offset` of list endpoints: default 20, at most 100.

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// Validated paging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub limit: i64,
    pub offset: i64,
}

/// Parses the raw query values; out of range or not a number is a 400 naming the parameter.
pub fn paging(limit: Option<&str>, offset: Option<&str>) -> Result<Paging, ApiError> {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(
                    "limit",
                    format!("limit must be an integer from 1 to {MAX_LIMIT}"),
                ));
            }
        },
    };
    let offset = match offset {
        None => 0,
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n >= 0 => n,
            _ => {
                return Err(ApiError::invalid(
                    "offset",
                    "offset must be a non-negative integer",
                ));
            }
        },
    };
    Ok(Paging { limit, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        assert_eq!(
            paging(None, None).unwrap(),
            Paging {
                limit: 20,
                offset: 0
            }
        );
        assert_eq!(
            paging(Some("100"), Some("5")).unwrap(),
            Paging {
                limit: 100,
                offset: 5
            }
        );
        assert_eq!(
            paging(Some("101"), None).unwrap_err().param.as_deref(),
            Some("limit")
        );
        assert_eq!(
            paging(Some("0"), None).unwrap_err().param.as_deref(),
            Some("limit")
        );
        assert_eq!(
            paging(Some("x"), None).unwrap_err().param.as_deref(),
            Some("limit")
        );
        assert_eq!(
            paging(None, Some("-1")).unwrap_err().param.as_deref(),
            Some("offset")
        );
    }
}
