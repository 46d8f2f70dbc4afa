// stats_reference.py (NumPy, SciPy) on a JSON request.
import { join } from 'node:path';
import { runPythonJson } from '../../helpers/python-json';

export const statsReference = <T>(request: Record<string, unknown>): T => runPythonJson<T>(join(__dirname, 'stats_reference.py'), request);
