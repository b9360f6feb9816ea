// Words that say nothing about a paper's topic: English function words and the stock phrases of
// abstracts ("we propose", "results show"). Used for related papers and keyword counts, not search.
export const STOP_WORDS = new Set(
  `a about above across after again against all also although am among an and another any are as at be
  because been before being below between both but by can could did do does doing done down during each
  either etc even ever every few for from further had has have having he her here hers how however i if
  in into is it its itself just least less may me might more most much must my neither no nor not now
  of off often on once one only onto or other others otherwise our ours out over own per rather same
  several she should since so some such than that the their theirs them then there therefore these they
  this those though through thus to too under until up upon us use used uses using very via was we well
  were what when where whether which while who whom whose why will with within without would yet you
  your paper propose proposed approach method methods show shows results result work new based two three
  first second many different existing recent recently significant significantly however furthermore
  moreover demonstrate present study studies experiments experimental performance state art e g i e`.split(/\s+/),
);
