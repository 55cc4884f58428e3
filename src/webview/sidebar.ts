// Entry of the sidebar webviews. The host page names the view in `<body data-view>`; one bundle serves both.
import * as z from 'zod';
import { startContextApp } from './contextApp';
import { startExploreApp } from './exploreApp';

// The CSP has no 'unsafe-eval': tell zod not to probe `new Function`, which would report a CSP violation.
z.config({ jitless: true });

const root = document.getElementById('root');
if (root) {
  if (document.body.dataset.view === 'explore') startExploreApp(root);
  else startContextApp(root);
}
