package cliflags

import (
	"encoding/json"
	"flag"
	"io"

	"gopkg.in/yaml.v3"
)

// OutputFlag defines -o and its long spelling --output, one value: the
// output format in every command of polc and polrun that has one (polc
// build and keygen, polrun profile, whose -o is where they write, excepted).
func OutputFlag(fs *flag.FlagSet, def, usage string) *string {
	v := new(string)
	*v = def
	fs.StringVar(v, "o", def, usage)
	fs.StringVar(v, "output", def, "the same as -o")
	return v
}

// WriteStructured writes v as indented JSON, or as YAML with the same
// fields in the same order (JSON text is YAML: decoding it into a node
// keeps the order the JSON encoder chose).
func WriteStructured(w io.Writer, format string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteJSONAs(w, format, append(data, '\n'))
}

// WriteJSONAs writes JSON text as it is ("json"), or converted to YAML.
func WriteJSONAs(w io.Writer, format string, data []byte) error {
	if format == "json" {
		_, err := w.Write(data)
		return err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return err
	}
	plainStyle(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	return enc.Close()
}

// plainStyle drops the flow style ({...}, [...]) and quotes the JSON
// decoding left on the nodes, for block YAML as people write it; strings
// that would read as another type keep their quotes (the encoder adds them).
func plainStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle
	for _, c := range n.Content {
		plainStyle(c)
	}
}
