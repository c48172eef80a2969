import type { Row } from './store.js';

/**
 * The readByQuery filter language: comparisons (=, !=, <>, <, >, <=, >=), IN / NOT IN,
 * LIKE / NOT LIKE with % and _, IS NULL / IS NOT NULL, AND, OR, NOT and parentheses; string
 * literals in single quotes with backslash escapes. Comparisons are case-sensitive, and
 * STATUS compares on the stored code ('T'/'F'), as the gateway's documentation says.
 */
export type QueryExpression =
  | { readonly kind: 'and' | 'or'; readonly left: QueryExpression; readonly right: QueryExpression }
  | { readonly kind: 'not'; readonly operand: QueryExpression }
  | { readonly kind: 'compare'; readonly field: string; readonly operator: '=' | '!=' | '<' | '>' | '<=' | '>='; readonly value: string }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly string[]; readonly negated: boolean }
  | { readonly kind: 'like'; readonly field: string; readonly pattern: string; readonly negated: boolean }
  | { readonly kind: 'null'; readonly field: string; readonly negated: boolean }
  | { readonly kind: 'all' };

/** A query the language cannot read; the gateway answers such queries with a failure. */
export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
}

type Token = { readonly type: 'word' | 'string' | 'number' | 'op' | 'punct'; readonly value: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const c = query[index]!;
    if (/\s/.test(c)) {
      index += 1;
    } else if (c === "'") {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= query.length) throw new QuerySyntaxError('Unterminated string literal');
        const d = query[index]!;
        if (d === '\\' && index + 1 < query.length) {
          value += query[index + 1];
          index += 2;
        } else if (d === "'") {
          index += 1;
          break;
        } else {
          value += d;
          index += 1;
        }
      }
      tokens.push({ type: 'string', value });
    } else if (/[<>=!]/.test(c)) {
      const two = query.slice(index, index + 2);
      if (['<=', '>=', '!=', '<>'].includes(two)) {
        tokens.push({ type: 'op', value: two === '<>' ? '!=' : two });
        index += 2;
      } else if (c === '!') {
        throw new QuerySyntaxError(`Unexpected '!' at ${index}`);
      } else {
        tokens.push({ type: 'op', value: c });
        index += 1;
      }
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', value: c });
      index += 1;
    } else if (/[-\d.]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(query.slice(index));
      if (!match) throw new QuerySyntaxError(`Unexpected '${c}' at ${index}`);
      tokens.push({ type: 'number', value: match[0] });
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(index))!;
      tokens.push({ type: 'word', value: match[0] });
      index += match[0].length;
    } else {
      throw new QuerySyntaxError(`Unexpected '${c}' at ${index}`);
    }
  }
  return tokens;
}

/** Parses a readByQuery query; an empty query selects every row. */
export function parseQuery(query: string): QueryExpression {
  const tokens = tokenize(query);
  if (tokens.length === 0) return { kind: 'all' };
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isWord = (token: Token | undefined, word: string): boolean => token?.type === 'word' && token.value.toUpperCase() === word;
  const expect = (type: Token['type'], value?: string): Token => {
    const token = tokens[position];
    if (!token || token.type !== type || (value !== undefined && token.value !== value))
      throw new QuerySyntaxError(`Expected ${value ?? type} at token ${position + 1}`);
    position += 1;
    return token;
  };
  const literal = (): string => {
    const token = tokens[position];
    if (!token || (token.type !== 'string' && token.type !== 'number'))
      throw new QuerySyntaxError(`Expected a value at token ${position + 1}`);
    position += 1;
    return token.value;
  };

  const orExpression = (): QueryExpression => {
    let left = andExpression();
    while (isWord(peek(), 'OR')) {
      position += 1;
      left = { kind: 'or', left, right: andExpression() };
    }
    return left;
  };
  const andExpression = (): QueryExpression => {
    let left = unary();
    while (isWord(peek(), 'AND')) {
      position += 1;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): QueryExpression => {
    if (isWord(peek(), 'NOT')) {
      position += 1;
      return { kind: 'not', operand: unary() };
    }
    if (peek()?.type === 'punct' && peek()?.value === '(') {
      position += 1;
      const inner = orExpression();
      expect('punct', ')');
      return inner;
    }
    return comparison();
  };
  const comparison = (): QueryExpression => {
    const field = expect('word').value.toUpperCase();
    const next = peek();
    if (next?.type === 'op') {
      position += 1;
      return { kind: 'compare', field, operator: next.value as '=' | '!=' | '<' | '>' | '<=' | '>=', value: literal() };
    }
    let negated = false;
    if (isWord(next, 'NOT')) {
      negated = true;
      position += 1;
    }
    if (isWord(peek(), 'IN')) {
      position += 1;
      expect('punct', '(');
      const values = [literal()];
      while (peek()?.type === 'punct' && peek()?.value === ',') {
        position += 1;
        values.push(literal());
      }
      expect('punct', ')');
      return { kind: 'in', field, values, negated };
    }
    if (isWord(peek(), 'LIKE')) {
      position += 1;
      const token = expect('string');
      return { kind: 'like', field, pattern: token.value, negated };
    }
    if (!negated && isWord(peek(), 'IS')) {
      position += 1;
      let isNot = false;
      if (isWord(peek(), 'NOT')) {
        isNot = true;
        position += 1;
      }
      if (!isWord(peek(), 'NULL')) throw new QuerySyntaxError(`Expected NULL at token ${position + 1}`);
      position += 1;
      return { kind: 'null', field, negated: isNot };
    }
    throw new QuerySyntaxError(`Expected an operator after ${field}`);
  };

  const expression = orExpression();
  if (position !== tokens.length) throw new QuerySyntaxError(`Unexpected '${tokens[position]!.value}' at token ${position + 1}`);
  return expression;
}

/** Stored codes the readByQuery language compares on instead of display values. */
const storedCodes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  STATUS: { active: 'T', inactive: 'F' },
};

function storedValue(row: Row, field: string): string | undefined {
  const value = row[field];
  if (value === undefined) return undefined;
  return storedCodes[field]?.[value] ?? value;
}

const numeric = /^-?\d+(\.\d+)?$/;
const usDate = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

function compareValues(a: string, b: string): number {
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  const dateA = usDate.exec(a);
  const dateB = usDate.exec(b);
  if (dateA && dateB) {
    const key = (m: RegExpExecArray): string => `${m[3]}${m[1]}${m[2]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}`;
    return key(dateA) < key(dateB) ? -1 : key(dateA) > key(dateB) ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${source}$`, 's');
}

/** How a query compares: readByQuery is case-sensitive and uses stored codes; `query` can ignore case and takes display values. */
export interface MatchOptions {
  readonly caseInsensitive?: boolean;
  readonly displayValues?: boolean;
}

/** Whether a row matches a parsed query. */
export function matches(expression: QueryExpression, row: Row, options: MatchOptions = {}): boolean {
  const value = (field: string): string | undefined => {
    const raw = options.displayValues ? row[field] : storedValue(row, field);
    return raw !== undefined && options.caseInsensitive ? raw.toLowerCase() : raw;
  };
  const literal = (text: string): string => (options.caseInsensitive ? text.toLowerCase() : text);
  return evaluate(expression, value, literal);
}

function evaluate(
  expression: QueryExpression,
  fieldValue: (field: string) => string | undefined,
  literal: (text: string) => string,
): boolean {
  switch (expression.kind) {
    case 'all':
      return true;
    case 'and':
      return evaluate(expression.left, fieldValue, literal) && evaluate(expression.right, fieldValue, literal);
    case 'or':
      return evaluate(expression.left, fieldValue, literal) || evaluate(expression.right, fieldValue, literal);
    case 'not':
      return !evaluate(expression.operand, fieldValue, literal);
    case 'null': {
      const value = fieldValue(expression.field);
      const isNull = value === undefined || value === '';
      return expression.negated ? !isNull : isNull;
    }
    case 'in': {
      const value = fieldValue(expression.field);
      const found =
        value !== undefined && value !== '' && expression.values.some((candidate) => compareValues(value, literal(candidate)) === 0);
      return expression.negated ? !found : found;
    }
    case 'like': {
      const value = fieldValue(expression.field);
      const found = value !== undefined && likeToRegExp(literal(expression.pattern)).test(value);
      return expression.negated ? !found : found;
    }
    case 'compare': {
      const value = fieldValue(expression.field);
      if (value === undefined || value === '') return false;
      const order = compareValues(value, literal(expression.value));
      switch (expression.operator) {
        case '=':
          return order === 0;
        case '!=':
          return order !== 0;
        case '<':
          return order < 0;
        case '>':
          return order > 0;
        case '<=':
          return order <= 0;
        case '>=':
          return order >= 0;
      }
    }
  }
}
