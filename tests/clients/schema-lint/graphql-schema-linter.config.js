// The rules schema.graphql is held to in `python3 dev.py test`: every rule of
// graphql-schema-linter 3 but the four that sort. Fields (of types and interfaces: JournalEntry's
// id first, as Node has it), input fields and enum values are in
// the order a reader meets them (id and name first; ErrandStatus from SENT to CLOSED), which
// GraphiQL's docs and codegen keep; alphabetical order would scatter them.
module.exports = {
  rules: [
    "arguments-have-descriptions",
    "defined-types-are-used",
    "deprecations-have-a-reason",
    "descriptions-are-capitalized",
    "enum-values-all-caps",
    "enum-values-have-descriptions",
    "fields-are-camel-cased",
    "fields-have-descriptions",
    "input-object-values-are-camel-cased",
    "input-object-values-have-descriptions",
    "relay-connection-arguments-spec",
    "relay-connection-types-spec",
    "relay-page-info-spec",
    "types-are-capitalized",
    "types-have-descriptions",
  ],
};
