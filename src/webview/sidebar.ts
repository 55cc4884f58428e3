// Entry of the sidebar webviews. The host page names the view in `<body data-view>`; one bundle serves both.
import './zodConfig';
import { startContextApp } from './contextApp';
import { startExploreApp } from './exploreApp';

const root = document.getElementById('root');
if (root) {
  if (document.body.dataset.view === 'explore') startExploreApp(root);
  else startContextApp(root);
}
