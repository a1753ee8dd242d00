package schema

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"time"
)

// normalize returns a copy of v made only of the types the validator understands:
// map[string]any, []any, string, bool, nil, int64, uint64 and finite float64.
// Callers may hand us what yaml.v3 produces directly (int, map[any]any, time.Time, ...).
func normalize(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64, uint64:
		return x
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint:
		return uint64(x)
	case uint8:
		return uint64(x)
	case uint16:
		return uint64(x)
	case uint32:
		return uint64(x)
	case float32:
		return normalizeFloat(float64(x))
	case float64:
		return normalizeFloat(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	}
	// Anything else (typed slices or maps from a hand-built document): go through reflection
	// rather than fail, so Validate accepts whatever a caller built.
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out[fmt.Sprint(it.Key().Interface())] = normalize(it.Value().Interface())
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return normalize(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

// normalizeFloat keeps finite floats. The validator cannot compare NaN or infinities
// (it converts numbers to exact rationals), so those become their YAML spelling, which
// is reported as a string where a number is expected.
func normalizeFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	return f
}

// dropNulls returns v with every null-valued mapping entry removed (list items stay,
// so paths are the same in both trees). Tetragon decodes `field:` with no value like
// an absent field.
func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}
