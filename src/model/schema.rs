//! The JSON Schema of one power file, for editors and `powerlist schema` (the
//! YAML language server shows each field's Chinese description on hover): the
//! hand-written `JsonSchema`s, and the schema with a catalogue's categories.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::de::EdgeMap;
use super::{CategoryName, DurationText, Next, Power, BUILTIN_CATEGORIES};
use crate::config::Settings;

impl JsonSchema for CategoryName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CategoryName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let values: Vec<&str> = BUILTIN_CATEGORIES
            .iter()
            .flat_map(|(n, c)| [*n, *c])
            .collect();
        json_schema!({ "type": "string", "enum": values })
    }
}

impl JsonSchema for DurationText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "时限：N个工作日、N工作日、N日、N天、N自然日、N个自然日、N个月、N月、N年，或 即办、当场；N 为整数，可用中文数字（如 二十）。草稿中尚未确定的时限写作【待填写】…",
            "pattern": "^\\s*([0-9]+|[零〇一二两三四五六七八九十百千]+)\\s*(个工作日|工作日|working days?|个自然日|自然日|日|天|days?|个月|月|年)\\s*$|^\\s*(即办|当场)\\s*$|^【待填写】",
            "examples": ["15个工作日", "30日", "三个月", "即办"]
        })
    }
}

impl JsonSchema for Next {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Next".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let edge = generator.subschema_for::<EdgeMap>();
        json_schema!({
            "description": "下一环节：一个环节标识，标识列表，或 {to, when, back} 列表",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "anyOf": [ { "type": "string" }, edge ] } },
                edge
            ]
        })
    }
}

/// Where SPEC §1.1's example points its `# yaml-language-server: $schema=` line.
pub const SCHEMA_ID: &str = "https://powerlist.invalid/power.schema.json";

/// The schema of a power; the category list includes `settings`' extra categories.
pub fn power_schema(settings: &Settings) -> Value {
    let mut v = serde_json::to_value(schemars::schema_for!(Power)).unwrap_or_default();
    v["$id"] = Value::from(SCHEMA_ID);
    v["title"] = Value::from("行政职权 (powerlist power)");
    v["description"] = Value::from(
        "一项行政职权：设定依据、实施主体、运行流程、时限、风险与监督。见 powerlist 的 SPEC §1.1。",
    );
    let values: Vec<Value> = settings
        .categories
        .iter()
        .flat_map(|(n, c)| [Value::from(n.as_str()), Value::from(c.as_str())])
        .collect();
    if let Some(cat) = v.pointer_mut("/$defs/CategoryName") {
        cat["enum"] = Value::Array(values);
    }
    v
}

/// The schema as pretty JSON text with a final newline.
pub fn render(settings: &Settings) -> String {
    let mut text = serde_json::to_string_pretty(&power_schema(settings)).unwrap_or_default();
    text.push('\n');
    text
}
