#include "expr/expr.h"

#include <algorithm>

#include "cdx/key_encoding.h"
#include "dbf/field_codec.h"
#include "expr/parser.h"

namespace xbase::expr {

const char* type_name(Type t) {
  switch (t) {
    case Type::character: return "character";
    case Type::number: return "numeric";
    case Type::date: return "date";
    case Type::datetime: return "datetime";
    case Type::logical: return "logical";
    case Type::null: return "null";
  }
  return "?";
}

Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Expression Expression::compile(std::string_view text, const std::vector<Field>& fields,
                               const Codepage& cp) {
  Expression e;
  e.text_ = std::string(text);
  e.fields_ = &fields;
  e.cp_ = &cp;
  if (text.find_first_not_of(" \t") == std::string_view::npos)
    throw Error(Errc::usage, {}, "empty expression");
  e.root_ = parse(text, fields, cp);
  // Size it on a blank record, as VFP does to fix the key length.
  size_t len = 1;
  for (const auto& f : fields) len = std::max<size_t>(len, f.offset + f.length);
  std::vector<uint8_t> blank(len, ' ');
  const Field* nf = nullptr;
  dbf::CodecContext ctx;
  ctx.cp = &cp;
  ctx.format = Format::vfp;
  for (const auto& f : fields)
    if (f.type == FieldType::nullflags) nf = &f;
  ctx.nullflags = nf;
  for (const auto& f : fields)
    if (f.type != FieldType::nullflags) dbf::blank_field(f, blank.data(), ctx);
  RecordContext rc;
  rc.bytes = blank.data();
  rc.recno = 1;
  rc.nullflags = nf;
  XValue v = e.eval(rc);
  e.type_ = v.type;
  e.length_ = v.type == Type::character ? v.s.size() : 0;
  e.nullable_ = e.root_->op == Op::field && fields[e.root_->field].nullable;
  e.integer_field_ = e.root_->op == Op::field && fields[e.root_->field].type == FieldType::integer;
  // The shapes whose keys need no evaluation.
  const Node* r = e.root_.get();
  const Node* f = r->op == Op::field ? r
                  : (r->op == Op::call && r->name == "UPPER" && r->args.size() == 1 && r->args[0]->op == Op::field)
                      ? r->args[0].get()
                      : nullptr;
  if (f && !fields[f->field].nullable && fields[f->field].null_bit < 0) {
    const Field& fd = fields[f->field];
    e.direct_.offset = uint32_t(fd.offset);
    e.direct_.length = uint32_t(fd.length);
    if (fd.type == FieldType::character && f == r) {
      e.direct_.kind = DirectKey::bytes;
    } else if (fd.type == FieldType::character && cp.upper_map()) {
      e.direct_.kind = DirectKey::upper;
      e.direct_.map = cp.upper_map();
      e.direct_.ascii_upper = true;
      for (int c = 0; c < 0x80; ++c)
        if (e.direct_.map[c] != ((c >= 'a' && c <= 'z') ? c - 0x20 : c)) e.direct_.ascii_upper = false;
    } else if (fd.type == FieldType::integer && f == r) {
      e.direct_.kind = DirectKey::int32;
      e.direct_.length = 4;
    }
  }
  return e;
}


std::vector<size_t> Expression::fields_used() const {
  std::vector<size_t> out;
  std::vector<const Node*> todo{root_.get()};
  while (!todo.empty()) {  // depth first, left to right
    const Node* n = todo.back();
    todo.pop_back();
    if (n->op == Op::field && std::find(out.begin(), out.end(), n->field) == out.end()) out.push_back(n->field);
    for (auto it = n->args.rbegin(); it != n->args.rend(); ++it) todo.push_back(it->get());
  }
  return out;
}

std::string encode_key(const XValue& v, size_t key_length, bool null_marker) {
  std::string out;
  if (null_marker) {
    out += v.type == Type::null ? cdx::kNullKeyMarker : cdx::kValueKeyMarker;
    if (key_length) --key_length;
  }
  switch (v.type) {
    case Type::null: out.append(key_length, '\0'); break;
    case Type::character: {
      std::string s = v.s.substr(0, key_length);
      s.resize(key_length, ' ');
      out += s;
      break;
    }
    case Type::number:
      if (v.from_int_field && key_length == 4) {
        char b[4];
        cdx::int32_key(int32_t(v.n), b);
        out.append(b, 4);
      } else {
        out += cdx::double_key(v.n);
      }
      break;
    case Type::date: out += cdx::double_key(double(v.jdn)); break;
    case Type::datetime:
      out += cdx::double_key(v.jdn == 0 ? 0.0 : double(v.jdn) + double(v.ms) / 86400000.0);
      break;
    case Type::logical: out += v.b ? 'T' : 'F'; break;
  }
  return out;
}

}  // namespace xbase::expr
