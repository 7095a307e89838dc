//! JSON merge patches (RFC 7396) onto a typed record, naming the field at fault: one rule for
//! every record changed that way (actors, people, meetings, alliances).

use serde::Serialize;
use serde_json::Value;

use crate::AppError;

/// `current` with a JSON merge patch (RFC 7396) applied: each key given replaces that field;
/// `null` clears it (to `cleared(key)` when the field has an empty value rather than none).
/// A field `current` does not have is refused, naming it as not a field of `what`; a value of
/// the wrong type is refused, naming its field.
pub fn merge_patch<T>(current: &T, patch: &Value, what: &str, cleared: impl Fn(&str) -> Option<Value>) -> Result<T, AppError>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let Value::Object(changes) = patch else {
        return Err(AppError::validation("body", "Send the fields to change as a JSON object."));
    };
    let original = serde_json::to_value(current).map_err(|_| AppError::Internal)?;
    let Value::Object(mut merged) = original.clone() else {
        return Err(AppError::Internal);
    };
    for (key, value) in changes {
        if !merged.contains_key(key) {
            return Err(AppError::validation(key.clone(), format!("“{key}” is not a field of {what}.")));
        }
        let value = if value.is_null() { cleared(key).unwrap_or(Value::Null) } else { value.clone() };
        merged.insert(key.clone(), value);
    }
    serde_json::from_value(Value::Object(merged.clone())).map_err(|e| {
        // Name the field at fault: the first whose value alone does not fit.
        let field = changes
            .keys()
            .find(|k| {
                let mut one = original.clone();
                one[k.as_str()] = merged[k.as_str()].clone();
                serde_json::from_value::<T>(one).is_err()
            })
            .cloned()
            .unwrap_or_else(|| "body".into());
        AppError::validation(field.clone(), format!("“{field}” has the wrong type: {e}."))
    })
}
