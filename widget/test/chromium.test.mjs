import { defineSuite } from './suite.mjs';

defineSuite('chromium');
