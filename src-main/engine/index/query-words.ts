/**
 * A parsed query read as a person meant it, before its terms are resolved:
 *  - adjacent plain words that together name a label are that label ("hot dog" → one term,
 *    when the pack has "hotdog" / "hot dog"); the longest run wins, up to MAX_RUN words;
 *  - stopwords ("a", "the", "in" …) are dropped from a run of words, unless every word of it
 *    is one ("the who" stays as typed).
 * A quoted phrase is one term already; the resolver reads its words the same way.
 */
import type { ParsedQuery, QueryNode } from './query.js';

/** Longest run of words tried as one label name. */
const MAX_RUN = 4;

export interface QueryReading {
  /** True when `text` (words joined by spaces) names a label in some spelling. */
  namesLabel(text: string): boolean;
  isStopword(word: string): boolean;
}

/** What the reading changed: the stopwords it dropped and the runs it joined into a label. */
export interface QueryRewrite {
  query: ParsedQuery;
  dropped: string[];
  joined: string[];
}

export function readQuery(query: ParsedQuery, reading: QueryReading): QueryRewrite {
  const dropped: string[] = [];
  const joined: string[] = [];
  const visit = (node: QueryNode): QueryNode => {
    if (node.type === 'term') return node;
    if (node.type === 'not') return { type: 'not', child: visit(node.child) };
    const children = node.children.map(visit);
    if (node.type === 'or') return { type: 'or', children };
    const merged = joinRuns(children, reading, joined);
    const kept = dropStopwords(merged, reading, dropped);
    return kept.length === 1 ? kept[0]! : { type: 'and', children: kept };
  };
  const root = query.root ? visit(query.root) : null;
  // A single word that is a stopword stays: there is nothing else to search for.
  return { query: { ...query, root }, dropped, joined };
}

const isWord = (node: QueryNode): node is QueryNode & { type: 'term' } =>
  node.type === 'term' && !node.phrase;

function joinRuns(children: QueryNode[], reading: QueryReading, joined: string[]): QueryNode[] {
  const out: QueryNode[] = [];
  for (let i = 0; i < children.length;) {
    let taken = 1;
    for (let run = MAX_RUN; run >= 2; run--) {
      const words = children.slice(i, i + run);
      if (words.length < run || !words.every(isWord)) continue;
      const text = words.map((w) => w.text).join(' ');
      if (reading.namesLabel(text)) {
        out.push({ type: 'term', text, phrase: true });
        joined.push(text);
        taken = run;
        break;
      }
    }
    if (taken === 1) out.push(children[i]!);
    i += taken;
  }
  return out;
}

function dropStopwords(
  children: QueryNode[],
  reading: QueryReading,
  dropped: string[],
): QueryNode[] {
  const stop = (node: QueryNode) =>
    isWord(node) && reading.isStopword(node.text.toLowerCase()) && !reading.namesLabel(node.text);
  const kept = children.filter((c) => !stop(c));
  if (kept.length === 0 || kept.every((c) => c.type === 'not')) return children;
  for (const c of children) if (stop(c)) dropped.push((c as { text: string }).text);
  return kept;
}
