/*
 * Words that say the same thing in machine-learning writing, shipped with papers (nothing is downloaded):
 * each group's words stand for one another when a query's words, as typed, find too few papers. Single
 * words only; each is matched in its forms (plural, inflections). Kept small and unambiguous in the field:
 * a pair belongs here only if a researcher typing one would be glad of a paper that says the other.
 */
const GROUPS: string[][] = [
  ['recommendation', 'recommender', 'recommending'],
  ['engine', 'system'],
  ['cheap', 'cheaper', 'efficient', 'efficiency', 'inexpensive', 'lightweight'],
  ['fast', 'faster', 'speed', 'speedup', 'accelerate', 'acceleration', 'quick'],
  ['small', 'smaller', 'compact', 'tiny', 'lightweight'],
  ['big', 'bigger', 'large', 'larger', 'huge', 'massive'],
  ['picture', 'photo', 'photograph', 'image'],
  ['movie', 'film', 'video', 'clip'],
  ['speech', 'audio', 'voice', 'spoken'],
  ['conversation', 'dialogue', 'dialog', 'chat', 'chatbot'],
  ['medical', 'clinical', 'health', 'healthcare', 'biomedical'],
  ['forecast', 'forecasting', 'prediction', 'predict'],
  ['mistake', 'error'],
  ['summary', 'summarization', 'summarize', 'summarizing'],
  ['annotation', 'label', 'labeling', 'labelling'],
  ['program', 'code', 'software', 'programming'],
  ['math', 'mathematical', 'arithmetic'],
  ['retrieval', 'retrieve', 'search'],
  ['explanation', 'explainable', 'explainability', 'interpretable', 'interpretability'],
  ['sentiment', 'opinion', 'emotion'],
  ['categorization', 'classification', 'categorize', 'classify'],
  ['clustering', 'grouping'],
  ['synthesis', 'generation', 'generate', 'generative'],
  ['sequential', 'temporal', 'sequence'],
  ['attack', 'adversarial'],
  ['fairness', 'bias', 'unbiased'],
  ['robot', 'robotic', 'robotics', 'manipulation'],
  ['car', 'vehicle', 'driving', 'autonomous'],
  ['translation', 'translate', 'multilingual'],
  ['compression', 'compress', 'pruning', 'quantization', 'distillation'],
  ['forgetting', 'continual', 'lifelong', 'incremental'],
  ['unlabeled', 'unsupervised', 'self-supervised', 'selfsupervised'],
  ['noise', 'noisy', 'perturbation'],
  ['tabular', 'table', 'spreadsheet'],
  ['molecule', 'molecular', 'chemistry', 'chemical', 'drug'],
  ['protein', 'biology', 'biological'],
  ['weather', 'climate'],
  ['legal', 'law'],
  ['question', 'answering', 'qa'],
];

const bySynonym = new Map<string, string[]>();
for (const group of GROUPS) {
  for (const word of group) {
    const others = group.filter((w) => w !== word);
    bySynonym.set(word, [...new Set([...(bySynonym.get(word) ?? []), ...others])]);
  }
}

/** Words the package knows to say the same as `word` (lower case, as folded), or none. */
export function synonymsOf(word: string): string[] {
  return bySynonym.get(word) ?? [];
}
