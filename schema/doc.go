// Package schema holds the JSON Schema of Tetragon's TracingPolicy and
// TracingPolicyNamespaced resources (apiVersion cilium.io/v1alpha1) and checks
// decoded policy documents against it.
//
// The schema (tracingpolicy.schema.json, JSON Schema draft-07) is embedded in the
// binary; JSON returns it for `polc schema` and for editors (yaml-language-server).
// It describes structure only: which fields exist where, their types, the
// enumerations Tetragon accepts (argument types, operators, actions, namespace and
// capability set names, list types) and the few numeric limits Tetragon's CRD
// states. Whether a value makes sense for its context (an operator for an argument
// type, an index that exists, a value that parses as a port or CIDR) is checked by
// the compiler, which has positions and better messages for it.
//
// Field names, types and enumerations follow Tetragon's CRD and Go types
// (pkg/k8s/apis/cilium.io); spellings that Tetragon's selector parser accepts
// besides the CRD enumeration (operators such as "lt" or "SAddr"/"saddr", actions
// and namespace names in any letter case) are accepted too. Where Tetragon's
// decoder ignores an empty value (`selectors:` with nothing after it), so does
// Validate. Deliberate departures from the CRD: spec may be omitted; matchArgs,
// matchReturnArgs, matchData and matchNamespaces values may be integers as well as
// strings, and rateLimit an integer; uprobes accept the older single `symbol` field.
//
// The package also embeds the schema of polc's own test files (kind
// PolicyTest, policytest.schema.json: PolicyTestJSON for `polc schema --test`,
// ValidatePolicyTest), whose errors are translated the same way.
//
// Validate reports leaf errors only, each with a stable code:
//
//	unknown-field  a mapping has a key the schema does not define at that place
//	               (Path points at the key, OnKey is true; Hint suggests a close
//	               valid name, or says where the field belongs when it is valid
//	               one level off, or lists the valid ones)
//	missing-field  a required field is absent (Path is the mapping that lacks it)
//	               or present with no value (Path is the field)
//	wrong-type     the value has the wrong YAML type, e.g. a quoted number where an
//	               integer is expected or a scalar where a list is expected
//	bad-enum       a string is not one of the allowed values (Hint: did you mean,
//	               or the full list when the message shortens it)
//	out-of-range   a number is outside the range of its field (negative index,
//	               argError beyond int32)
//	too-many       a list has more items than allowed (tags: 16)
//	too-few        a list has fewer items than required
//	bad-format     a string does not have the form its field requires
//	invalid        any other schema violation (not expected with this schema)
//	internal       the embedded schema failed to load or validation failed
//	               unexpectedly; a bug in polc, not in the policy
package schema
